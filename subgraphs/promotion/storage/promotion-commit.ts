import type { PromotionState } from '../model/promotion-enums.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import {
  formatCursor,
  IdempotencyKeyTakenError,
  VersionConflictError,
  type CommitResult,
  type DeliveryUpdate,
  type PromotionChange,
} from './promotion.repository.ts';
import {
  idempotencyFromRow,
  PROMOTION_COLUMNS,
  promotionFromRow,
  publicationFromRow,
  storedRecord,
  withChannels,
  type PublicationRow,
} from './promotion-rows.ts';
import {
  appendOutbox,
  insertAudit,
  insertPromotion,
  latestCursor,
  replaceScopeTerms,
  replaceSkus,
  saveVersion,
  updatePromotion,
  upsertPublications,
} from './promotion-writes.ts';
import { toInt, type SqlExecutor } from './sql-database.ts';

/**
 * The two write transactions. Lock order is always: the promotion row (FOR UPDATE), then the
 * idempotency key, then the `outbox_cursor` row last (held only until COMMIT), so concurrent
 * commits cannot deadlock and cursors follow commit order.
 */

/** The commit transaction: see PromotionRepository.commit. */
export async function commitChange(
  tx: SqlExecutor,
  change: PromotionChange,
): Promise<CommitResult> {
  const id = change.record.id;
  const { expected } = change;
  const current = await lockPromotion(tx, id);
  // A concurrent request with the same key (another instance) may have committed while this one
  // waited for the row lock: that is a replay, not a version conflict.
  if (change.idempotency) await assertKeyFree(tx, change);
  const matches = expected
    ? current?.version === expected.version && current.state === expected.state
    : current === undefined;
  if (!matches) throw new VersionConflictError(id, current?.version ?? 0);
  let seq = current?.seq;
  if (seq === undefined) {
    seq = await insertPromotion(tx, change.record);
    // A concurrent create of the same id committed first.
    if (seq === undefined)
      throw new VersionConflictError(id, (await lockPromotion(tx, id))?.version ?? 0);
  } else {
    await updatePromotion(tx, change.record);
  }
  if (change.idempotency) await claimIdempotency(tx, change);
  await upsertPublications(tx, id, change.publications);
  const full = withChannels(
    storedRecord(structuredClone(change.record)),
    seq,
    await readPublications(tx, id),
  );
  await saveVersion(tx, full);
  await replaceSkus(tx, full);
  await replaceScopeTerms(tx, full);
  await insertAudit(tx, id, change.audit);
  const events = await appendOutbox(tx, full, change.events);
  if (change.idempotency) {
    const cursor = events[0]?.cursor ?? formatCursor(await latestCursor(tx));
    await tx.query('UPDATE idempotency_keys SET event_cursor = $3 WHERE scope = $1 AND key = $2', [
      change.idempotency.scope,
      change.idempotency.key,
      Number(cursor),
    ]);
  }
  return { record: full, events };
}

/** The updateDelivery transaction: undefined (and nothing written) when superseded. */
export async function applyDeliveryUpdate(
  tx: SqlExecutor,
  update: DeliveryUpdate,
): Promise<CommitResult | undefined> {
  const { rows } = await tx.query(
    `SELECT ${PROMOTION_COLUMNS} FROM promotions p WHERE p.id = $1 FOR UPDATE`,
    [update.promotionId],
  );
  if (!rows[0]) return undefined;
  const current = promotionFromRow(rows[0]);
  const publication = current.channels.find((c) => c.channel === update.channel);
  if (!publication || publication.deliveryId !== update.deliveryId) return undefined;
  const next = { ...publication, ...structuredClone(update.patch) };
  await upsertPublications(tx, current.id, [next]);
  const record: PromotionRecord = {
    ...current,
    channels: current.channels.map((c) => (c.channel === update.channel ? next : c)),
  };
  await insertAudit(tx, current.id, update.audit);
  const events = await appendOutbox(tx, record, update.events);
  return { record, events };
}

async function lockPromotion(
  tx: SqlExecutor,
  id: string,
): Promise<{ version: number; state: PromotionState; seq: number } | undefined> {
  const { rows } = await tx.query(
    'SELECT version, state, seq FROM promotions WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = rows[0];
  return (
    row && {
      version: row.version as number,
      state: row.state as PromotionState,
      seq: toInt(row.seq),
    }
  );
}

async function readPublications(tx: SqlExecutor, id: string) {
  const { rows } = await tx.query<PublicationRow>(
    'SELECT * FROM channel_publications WHERE promotion_id = $1',
    [id],
  );
  return rows.map(publicationFromRow);
}

/** Throws IdempotencyKeyTakenError when the key is already committed. */
async function assertKeyFree(tx: SqlExecutor, change: PromotionChange): Promise<void> {
  const idem = change.idempotency!;
  const { rows } = await tx.query('SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2', [
    idem.scope,
    idem.key,
  ]);
  if (rows[0]) throw new IdempotencyKeyTakenError(idempotencyFromRow(rows[0]));
}

/** Claims the key or throws IdempotencyKeyTakenError with the committed holder. */
async function claimIdempotency(tx: SqlExecutor, change: PromotionChange): Promise<void> {
  const idem = change.idempotency!;
  const { rowCount } = await tx.query(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, promotion_id, version)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, key) DO NOTHING`,
    [idem.scope, idem.key, idem.fingerprint, change.record.id, change.record.version],
  );
  if (rowCount === 1) return;
  const { rows } = await tx.query('SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2', [
    idem.scope,
    idem.key,
  ]);
  throw new IdempotencyKeyTakenError(idempotencyFromRow(rows[0]!));
}
