import type { DeliveryStatus } from '../model/promotion-enums.ts';
import type { ChannelPublicationRecord } from '../model/promotion.model.ts';
import type { CommitResult, DeliveryUpdate } from '../storage/promotion.repository.ts';
import { applyDeliveryUpdate } from '../storage/promotion-commit.ts';
import { publicationFromRow, type PublicationRow } from '../storage/promotion-rows.ts';
import { toIso, type SqlDatabase } from '../storage/sql-database.ts';

/** The SQL of the durable dispatcher: claim due deliveries, record outcomes under the lease. */

/** A delivery this dispatcher holds the lease of. */
export type ClaimedDelivery = {
  promotionId: string;
  publication: ChannelPublicationRecord;
  lease: { owner: string; token: string };
  /** Owner of the lease this claim took over (set when the delivery was SENT: abandoned). */
  previousOwner: string | null;
};

/** What `recordLeased` does with the lease once the update is stored. */
export type LeaseAfter = { release: true } | { release: false; expiresAt: string };

/** A lease counts only while unexpired and taken on the current delivery. */
const FREE = `(lease_expires_at IS NULL OR lease_expires_at <= $1
  OR lease_delivery_id IS DISTINCT FROM delivery_id)`;

/**
 * Claims up to `limit` due deliveries in one statement: PENDING, or FAILED whose
 * next_attempt_at has come, or SENT whose lease expired (its dispatcher died before recording an
 * outcome). FOR UPDATE SKIP LOCKED makes concurrent claimers take disjoint rows without waiting;
 * the re-check under the row lock (READ COMMITTED) keeps a row that another claim just leased
 * from being claimed twice.
 */
export async function claimDue(
  db: SqlDatabase,
  claim: { owner: string; token: string; now: Date; leaseMs: number; limit: number },
): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<
    PublicationRow & { promotion_id: string; previous_owner: string | null }
  >(
    `WITH due AS (
       SELECT promotion_id, channel, lease_owner AS previous_owner FROM channel_publications
        WHERE status IN ('PENDING', 'FAILED', 'SENT')
          AND (status = 'SENT' OR next_attempt_at IS NULL OR next_attempt_at <= $1)
          AND ${FREE}
        ORDER BY next_attempt_at NULLS FIRST, updated_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
     UPDATE channel_publications c
        SET lease_owner = $3, lease_token = $4, lease_delivery_id = c.delivery_id,
            lease_expires_at = $5
       FROM due
      WHERE c.promotion_id = due.promotion_id AND c.channel = due.channel
     RETURNING c.*, due.previous_owner`,
    [
      claim.now.toISOString(),
      claim.limit,
      claim.owner,
      claim.token,
      new Date(claim.now.getTime() + claim.leaseMs).toISOString(),
    ],
  );
  return rows.map((row) => ({
    promotionId: row.promotion_id,
    publication: publicationFromRow(row),
    lease: { owner: claim.owner, token: claim.token },
    previousOwner: row.status === 'SENT' ? row.previous_owner : null,
  }));
}

/**
 * `updateDelivery`'s compare-and-set (same transaction, same events and audit) plus a lease
 * check: nothing is written, and undefined returned, unless this claim still holds the lease,
 * the delivery is still current and still in status `expect` (so repeating a write whose COMMIT
 * answer was lost changes nothing). Lock order as every commit: the promotion row, then the
 * publication row.
 */
export function recordLeased(
  db: SqlDatabase,
  lease: ClaimedDelivery['lease'],
  expect: DeliveryStatus,
  update: DeliveryUpdate,
  after: LeaseAfter,
): Promise<CommitResult | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM promotions WHERE id = $1 FOR UPDATE', [update.promotionId]);
    const key = [update.promotionId, update.channel, update.deliveryId, lease.token];
    const held = await tx.query(
      `SELECT 1 FROM channel_publications WHERE promotion_id = $1 AND channel = $2
          AND delivery_id = $3 AND lease_token = $4 AND status = $5 FOR UPDATE`,
      [...key, expect],
    );
    if (!held.rows.length) return undefined;
    const result = await applyDeliveryUpdate(tx, update);
    if (!result) return undefined;
    await tx.query(
      after.release
        ? `UPDATE channel_publications SET lease_owner = NULL, lease_token = NULL,
             lease_delivery_id = NULL, lease_expires_at = NULL
            WHERE promotion_id = $1 AND channel = $2 AND delivery_id = $3 AND lease_token = $4`
        : `UPDATE channel_publications SET lease_expires_at = $5
            WHERE promotion_id = $1 AND channel = $2 AND delivery_id = $3 AND lease_token = $4`,
      after.release ? key : [...key, after.expiresAt],
    );
    return result;
  });
}

export type OpenDeliveries = {
  /** Deliveries not yet ACKNOWLEDGED or DEAD_LETTERED. */
  open: number;
  /** The earliest time one of them can be claimed (null when none is open). */
  nextDueAt: string | null;
};

/** How much work is left, and when the next piece of it becomes claimable. */
export async function openDeliveries(db: SqlDatabase, now: Date): Promise<OpenDeliveries> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS open, min(greatest(
         CASE WHEN status = 'SENT' THEN NULL ELSE next_attempt_at END,
         CASE WHEN ${FREE} THEN NULL ELSE lease_expires_at END,
         $1::timestamptz)) AS next_due_at
       FROM channel_publications WHERE status IN ('PENDING', 'FAILED', 'SENT')`,
    [now.toISOString()],
  );
  const row = rows[0]!;
  return { open: Number(row.open), nextDueAt: toIso(row.next_due_at) };
}
