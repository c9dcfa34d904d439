import type { PromotionException } from '../api/types.ts';

const SEVERITY_RANK = { CRITICAL: 0, WARNING: 1 } as const;

/** CRITICAL before WARNING; within one severity the oldest first; then by id (stable). */
export function queueOrder(a: PromotionException, b: PromotionException): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    Date.parse(a.since) - Date.parse(b.since) ||
    a.id.localeCompare(b.id)
  );
}
