import { busEvent } from '../events/bus-event.ts';
import type {
  AuditDraft,
  ChannelPublicationRecord,
  EventDraft,
  PromotionBusEvent,
  PromotionRecord,
} from '../model/promotion.model.ts';
import { includedTerms } from '../model/scope-terms.ts';
import { searchText, storedRecord } from './promotion-rows.ts';
import { toInt, type SqlExecutor } from './sql-database.ts';

/** The statements of one commit; each runs inside the caller's transaction. */

const json = (value: unknown): string => JSON.stringify(value);

/** Inserts a new promotion; false when the id exists already (a concurrent create won). */
export async function insertPromotion(
  tx: SqlExecutor,
  record: PromotionRecord,
): Promise<number | undefined> {
  const { rows } = await tx.query(
    `INSERT INTO promotions (id, state, vendor_id, version, starts_at, ends_at, search_text,
       created_at, updated_at, record)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
     ON CONFLICT (id) DO NOTHING RETURNING seq`,
    promotionParams(record),
  );
  return rows[0] ? toInt(rows[0].seq) : undefined;
}

export async function updatePromotion(tx: SqlExecutor, record: PromotionRecord): Promise<void> {
  await tx.query(
    `UPDATE promotions SET state = $2, vendor_id = $3, version = $4, starts_at = $5,
       ends_at = $6, search_text = $7, created_at = $8, updated_at = $9, record = $10::jsonb
     WHERE id = $1`,
    promotionParams(record),
  );
}

function promotionParams(record: PromotionRecord): unknown[] {
  return [
    record.id,
    record.state,
    record.vendorId,
    record.version,
    record.window.startsAt,
    record.window.endsAt,
    searchText(record),
    record.createdAt,
    record.updatedAt,
    json(storedRecord(record)),
  ];
}

/** Stores the snapshot of `record.version` (a commit that keeps the version replaces it). */
export async function saveVersion(tx: SqlExecutor, record: PromotionRecord): Promise<void> {
  await tx.query(
    `INSERT INTO promotion_versions (promotion_id, version, record) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (promotion_id, version) DO UPDATE SET record = excluded.record, committed_at = now()`,
    [record.id, record.version, json(record)],
  );
}

/** Replaces the SKU index rows of the promotion with its current explicit scope. */
export async function replaceSkus(tx: SqlExecutor, record: PromotionRecord): Promise<void> {
  await tx.query(
    `WITH wanted AS (
       SELECT DISTINCT sku, excluded FROM (SELECT unnest($2::text[]) AS sku, false AS excluded
         UNION ALL SELECT unnest($3::text[]), true) AS s),
     gone AS (DELETE FROM promotion_skus p WHERE p.promotion_id = $1 AND NOT EXISTS
       (SELECT 1 FROM wanted w WHERE w.sku = p.sku AND w.excluded = p.excluded))
     INSERT INTO promotion_skus (sku, promotion_id, excluded)
     SELECT sku, $1, excluded FROM wanted ON CONFLICT DO NOTHING`,
    [record.id, record.scope.skus, record.scope.excludedSkus],
  );
}

/** Replaces the scope-term index rows of the promotion with the terms its scope includes. */
export async function replaceScopeTerms(tx: SqlExecutor, record: PromotionRecord): Promise<void> {
  await tx.query(
    `WITH wanted AS (SELECT DISTINCT unnest($2::text[]) AS term),
     gone AS (DELETE FROM promotion_scope_terms t WHERE t.promotion_id = $1
       AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.term = t.term))
     INSERT INTO promotion_scope_terms (term, promotion_id)
     SELECT term, $1 FROM wanted ON CONFLICT DO NOTHING`,
    [record.id, includedTerms(record.scope)],
  );
}

/** Upserts publications by channel (the last one wins when a channel repeats). */
export async function upsertPublications(
  tx: SqlExecutor,
  promotionId: string,
  publications: readonly ChannelPublicationRecord[],
): Promise<void> {
  if (!publications.length) return;
  const byChannel = [...new Map(publications.map((p) => [p.channel, p])).values()];
  await tx.query(
    `INSERT INTO channel_publications AS c (promotion_id, channel, intent, status, target_version,
       published_version, attempts, last_error, next_attempt_at, sent_at, acknowledged_at,
       channel_ref, acknowledged_intent, held, delivery_id, payload)
     SELECT $1, p->>'channel', p->>'intent', p->>'status', (p->>'targetVersion')::int,
       (p->>'publishedVersion')::int, (p->>'attempts')::int, p->>'lastError',
       (p->>'nextAttemptAt')::timestamptz, (p->>'sentAt')::timestamptz,
       (p->>'acknowledgedAt')::timestamptz, p->>'channelRef', p->>'acknowledgedIntent',
       coalesce((p->>'held')::boolean, false), p->>'deliveryId', p->'payload'
       FROM jsonb_array_elements($2::jsonb) AS p
     ON CONFLICT (promotion_id, channel) DO UPDATE SET intent = excluded.intent,
       status = excluded.status, target_version = excluded.target_version,
       published_version = excluded.published_version, attempts = excluded.attempts,
       last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at,
       sent_at = excluded.sent_at, acknowledged_at = excluded.acknowledged_at,
       channel_ref = excluded.channel_ref, acknowledged_intent = excluded.acknowledged_intent,
       held = excluded.held, delivery_id = excluded.delivery_id,
       payload = excluded.payload, updated_at = now()`,
    [promotionId, json(byChannel)],
  );
}

export async function insertAudit(
  tx: SqlExecutor,
  promotionId: string,
  drafts: readonly AuditDraft[],
): Promise<void> {
  if (!drafts.length) return;
  await tx.query(
    `INSERT INTO audit (promotion_id, at, actor_subject, actor, action, from_state, to_state,
       reason, version, channel)
     SELECT $1, (a->>'at')::timestamptz, a->'actor'->>'subject', a->'actor', a->>'action',
       a->>'fromState', a->>'toState', a->>'reason', (a->>'version')::int, a->>'channel'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(a, n) ORDER BY n`,
    [promotionId, json(drafts)],
  );
}

/**
 * Takes the next cursors from the `outbox_cursor` row (its lock is held until COMMIT, so call
 * this last: cursors then follow commit order) and writes the completed events to the outbox.
 */
export async function appendOutbox(
  tx: SqlExecutor,
  record: PromotionRecord,
  drafts: readonly EventDraft[],
): Promise<PromotionBusEvent[]> {
  if (!drafts.length) return [];
  const { rows } = await tx.query(
    'UPDATE outbox_cursor SET last_cursor = last_cursor + $1 RETURNING last_cursor',
    [drafts.length],
  );
  const first = toInt(rows[0]!.last_cursor) - drafts.length + 1;
  const events: PromotionBusEvent[] = drafts.map((draft, i) => busEvent(record, draft, first + i));
  await tx.query(
    `INSERT INTO outbox (cursor, promotion_id, event)
     SELECT (e->>'cursor')::bigint, $1, e FROM jsonb_array_elements($2::jsonb) AS e`,
    [record.id, json(events)],
  );
  return events;
}

/** The newest cursor handed out so far (0 when none). */
export async function latestCursor(tx: SqlExecutor): Promise<number> {
  const { rows } = await tx.query('SELECT last_cursor FROM outbox_cursor');
  return toInt(rows[0]!.last_cursor);
}
