import { useEffect, useRef } from 'preact/hooks';
import type { PromotionFilter } from '../api/types.ts';
import { dateTime } from '../format.ts';
import { usePromotionList } from '../state/use-promotion-list.ts';
import { useStoreSnapshot } from '../state/use-store.ts';
import { ChannelChips } from './channel-chips.tsx';
import { StateBadge } from './state-badge.tsx';

type Props = {
  filter: PromotionFilter;
  /** The live feed has been live: the list loads once more then (see usePromotionList). */
  /** Times the live feed started from now (each one re-reads the list once). */
  feedFreshStarts: number;
  selected: string | undefined;
  onSelect(id: string): void;
};

/** Mark on the performance timeline once the first promotions are on screen (load time). */
const RENDERED_MARK = 'tower:promotions-rendered';

/** The promotions listed, newest first, each with where its channels stand; live. */
export function PromotionList({ filter, feedFreshStarts, selected, onSelect }: Props) {
  const list = usePromotionList(filter, feedFreshStarts);
  const { rows, order } = useStoreSnapshot();
  const listed = order.map((id) => rows.get(id)!).filter(Boolean);
  const marked = useRef(false);
  useEffect(() => {
    if (!marked.current && !list.loading && listed.length > 0) {
      marked.current = true;
      performance.mark(RENDERED_MARK);
    }
  });
  return (
    <div class="promotion-list">
      {list.error && (
        <p class="error" role="alert">
          The promotions cannot be loaded: {list.error}
        </p>
      )}
      <table aria-busy={list.loading}>
        <caption class="visually-hidden">Promotions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Promotion</th>
            <th scope="col">State</th>
            <th scope="col">Channels</th>
            <th scope="col">Starts</th>
          </tr>
        </thead>
        <tbody>
          {listed.map((row) => (
            <tr
              key={row.id}
              class={row.id === selected ? 'selected' : undefined}
              data-promotion={row.id}
              aria-selected={row.id === selected}
            >
              <td>
                <button type="button" class="link" onClick={() => onSelect(row.id)}>
                  {row.name}
                </button>
                <span class="sub">
                  {row.id}
                  {row.vendor ? ` · ${row.vendor.id}` : ''}
                </span>
              </td>
              <td>
                <StateBadge state={row.state} />
              </td>
              <td>
                <ChannelChips row={row} />
              </td>
              <td class="nowrap">{dateTime(row.window.startsAt).slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && listed.length === 0 && !list.error && (
        <p class="empty">No promotion matches these filters.</p>
      )}
      {list.loading && <p class="loading">Loading promotions…</p>}
      {list.hasMore && !list.loading && (
        <button type="button" class="secondary" onClick={list.loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}
