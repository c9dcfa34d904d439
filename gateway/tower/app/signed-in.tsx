import { useMemo, useState } from 'preact/hooks';
import { execute, GraphQLRequestError } from './api/graphql-client.ts';
import { permissionsOf } from './api/permissions.ts';
import type { Session } from './api/session.ts';
import type { PromotionFilter } from './api/types.ts';
import { AppHeader } from './components/app-header.tsx';
import { ChannelMatrix } from './components/channel-matrix.tsx';
import { ExceptionsQueue } from './components/exceptions-queue.tsx';
import { Filters } from './components/filters.tsx';
import { PromotionDetail } from './components/promotion-detail.tsx';
import { PromotionList } from './components/promotion-list.tsx';
import { PromotionStore } from './state/promotion-store.ts';
import { TowerContext, type Tower } from './state/tower-context.ts';
import { useLiveFeed } from './state/use-live-feed.ts';
import { useSelection } from './state/use-selection.ts';

type Props = { session: Session; onSignOut(reason?: string): void };

/** The tower for one session: header, exceptions, the list with its filters, the detail. */
export function SignedIn({ session, onSignOut }: Props) {
  const tower = useMemo<Tower>(
    () => ({
      session,
      permissions: permissionsOf(session),
      store: new PromotionStore(),
      async run(operation, variables) {
        try {
          return await execute(operation, variables, session.token);
        } catch (error) {
          if (error instanceof GraphQLRequestError && error.code === 'UNAUTHENTICATED') {
            onSignOut(`The gateway refused the token: ${error.message}`);
          }
          throw error;
        }
      },
    }),
    [session],
  );
  const feed = useLiveFeed(tower);
  const [filter, setFilter] = useState<PromotionFilter>({});
  const [selected, select] = useSelection();
  return (
    <TowerContext.Provider value={tower}>
      <AppHeader status={feed.status} onSignOut={() => onSignOut()} />
      <main id="main" class="layout">
        <ExceptionsQueue feedFreshStarts={feed.freshStarts} onSelect={select} />
        <div class="columns">
          <section class="pane list-pane" aria-labelledby="promotions-heading">
            <h2 id="promotions-heading">Promotions</h2>
            <Filters value={filter} onChange={setFilter} />
            <ChannelMatrix filter={filter} />
            <PromotionList
              filter={filter}
              feedFreshStarts={feed.freshStarts}
              selected={selected}
              onSelect={select}
            />
          </section>
          <section class="pane detail-pane" aria-label="Selected promotion">
            {selected ? (
              <PromotionDetail key={selected} id={selected} />
            ) : (
              <p class="empty">Select a promotion to see where it is in each channel.</p>
            )}
          </section>
        </div>
      </main>
    </TowerContext.Provider>
  );
}
