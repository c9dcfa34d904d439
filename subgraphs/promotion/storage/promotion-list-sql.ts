import { PromotionState } from '../model/promotion-enums.ts';
import type { PromotionListQuery } from './promotion.repository.ts';

/** activation-rules.ts `liveInAnyChannel`, for `FROM promotions p`. */
const CONFIRMED = `c.intent = 'LIVE' AND NOT c.held AND c.acknowledged_intent = 'LIVE'`;
const LIVE_IN_A_CHANNEL = `CASE WHEN p.record->>'activationMode' = 'PER_CHANNEL'
    THEN EXISTS (SELECT 1 FROM channel_publications c WHERE c.promotion_id = p.id AND ${CONFIRMED})
    ELSE EXISTS (SELECT 1 FROM channel_publications c
                  WHERE c.promotion_id = p.id AND c.intent = 'LIVE')
     AND NOT EXISTS (SELECT 1 FROM channel_publications c
                      WHERE c.promotion_id = p.id AND c.intent = 'LIVE' AND NOT (${CONFIRMED}))
  END`;

/**
 * The WHERE clause of `list` for `FROM promotions p`: the same criteria as `matchesFilter`
 * (eligibility.ts), evaluated by PostgreSQL. Undefined when nothing can match.
 */
export function listWhere(
  query: PromotionListQuery,
): { sql: string; params: unknown[] } | undefined {
  const { filter: f } = query;
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  if (query.afterSeq !== undefined) where.push(`p.seq < ${param(query.afterSeq)}`);
  if (f.states?.length) where.push(`p.state = ANY(${param(f.states)}::text[])`);
  if (f.channels?.length) {
    where.push(`p.record->'eligibility'->'channels' ?| ${param(f.channels)}::text[]`);
  }
  if (f.vendorId) where.push(`p.vendor_id = ${param(f.vendorId)}`);
  if (f.sku) {
    where.push(`EXISTS (SELECT 1 FROM promotion_skus s
      WHERE s.promotion_id = p.id AND s.sku = ${param(f.sku)} AND NOT s.excluded)`);
  }
  if (f.liveAt) {
    const at = new Date(f.liveAt);
    if (Number.isNaN(at.getTime())) return undefined;
    const t = param(at.toISOString());
    where.push(`p.state IN ('${PromotionState.SCHEDULED}', '${PromotionState.ACTIVE}')
      AND p.starts_at <= ${t} AND ${t} < p.ends_at
      AND ${LIVE_IN_A_CHANNEL}`);
  }
  if (f.text) where.push(`strpos(p.search_text, ${param(f.text.toLowerCase())}) > 0`);
  if (f.category) {
    where.push(`(p.record->'scope'->'categoryIds' ? ${param(f.category.id)}
      OR EXISTS (SELECT 1 FROM promotion_skus s WHERE s.promotion_id = p.id
                  AND s.sku = ANY(${param([...f.category.skus])}::text[]) AND NOT s.excluded))`);
  }
  if (f.region) {
    const e = `p.record->'eligibility'`;
    where.push(`(${e}->'regionIds' ? ${param(f.region.id)}
      OR ${e}->'locationIds' ?| ${param([...f.region.locationIds])}::text[]
      OR (jsonb_array_length(${e}->'locationIds') = 0
          AND jsonb_array_length(${e}->'regionIds') = 0))`);
  }
  return { sql: where.length ? where.join(' AND ') : 'true', params };
}
