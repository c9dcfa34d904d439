import type { ChannelPublication, PromotionDetail as Detail, PromotionRow } from '../api/types.ts';
import { useTower } from '../state/tower-context.ts';
import { usePromotionDetail } from '../state/use-promotion-detail.ts';
import { useStoreSnapshot } from '../state/use-store.ts';
import { AuditTrail } from './audit-trail.tsx';
import { ChannelPublications } from './channel-publications.tsx';
import { EventLog } from './event-log.tsx';
import { PromotionActions } from './promotion-actions.tsx';
import { PromotionSummary } from './promotion-summary.tsx';
import { PropagationStages } from './propagation-stages.tsx';
import { PropagationTimeline } from './propagation-timeline.tsx';
import { ReadinessPanel } from './readiness-panel.tsx';

/** The detail's terms with the live part (state, version, deliveries) as last heard. */
function withLive(detail: Detail, live: PromotionRow | undefined): Detail {
  if (!live || live.version < detail.version) return detail;
  const refs = new Map(detail.channels.map((c) => [c.channel, c.channelRef]));
  const channels: ChannelPublication[] = live.channels.map((c) => ({
    ...c,
    channelRef: refs.get(c.channel) ?? null,
  }));
  return {
    ...detail,
    state: live.state,
    version: live.version,
    updatedAt: live.updatedAt,
    channels,
    publicationSummary: live.publicationSummary,
  };
}

/** One promotion: where it is in each channel, how it got there, and whether it is ready. */
export function PromotionDetail({ id }: { id: string }) {
  const { permissions } = useTower();
  const { rows } = useStoreSnapshot();
  const detail = usePromotionDetail(id);
  const { data, loading, error } = detail.promotion;
  if (!permissions.read) {
    return <p class="empty">Your token lacks promotion:read: no promotion can be shown.</p>;
  }
  if (data === undefined) {
    return loading ? (
      <p class="loading">Loading promotion {id}…</p>
    ) : (
      <p class="error" role="alert">
        Promotion {id} cannot be loaded: {error}
      </p>
    );
  }
  if (data === null) {
    return <p class="empty">There is no promotion {id} you may see.</p>;
  }
  const promotion = withLive(data, rows.get(id));
  return (
    <article class="detail" aria-labelledby="detail-heading" data-promotion={promotion.id}>
      <PromotionSummary promotion={promotion} />
      <PromotionActions promotion={promotion} />
      <PropagationStages promotion={promotion} audit={detail.audit.data} />
      <ChannelPublications promotion={promotion} />
      <PropagationTimeline promotion={promotion} audit={detail.audit.data} events={detail.events} />
      <ReadinessPanel promotion={promotion} detail={detail} />
      <AuditTrail audit={detail.audit} allowed={permissions.audit} />
      <EventLog events={detail.events} allowed={permissions.events} />
    </article>
  );
}
