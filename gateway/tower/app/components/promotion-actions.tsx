import { useTower } from '../state/tower-context.ts';
import type { PromotionDetail } from '../api/types.ts';
import { ApproveAction } from './approve-action.tsx';
import { EndAction } from './end-action.tsx';

const ENDABLE = new Set(['SCHEDULED', 'ACTIVE', 'SUSPENDED']);

/** The promotion-wide actions its state and the token's scopes allow (per channel: the table). */
export function PromotionActions({ promotion }: { promotion: PromotionDetail }) {
  const { permissions } = useTower();
  const approve = permissions.approve && promotion.state === 'PENDING_APPROVAL';
  const end = permissions.end && ENDABLE.has(promotion.state);
  const any =
    permissions.approve ||
    permissions.end ||
    permissions.suspend ||
    permissions.resume ||
    permissions.retry;
  if (!approve && !end) {
    return any ? null : (
      <p class="note read-only">Read-only: your token's scopes allow no actions on promotions.</p>
    );
  }
  return (
    <section class="promotion-actions" aria-label="Actions">
      {approve && <ApproveAction promotion={promotion} />}
      {end && <EndAction promotion={promotion} />}
    </section>
  );
}
