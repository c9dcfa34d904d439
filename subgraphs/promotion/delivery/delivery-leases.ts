import type { SalesChannel } from '../../shared/canonical/enums.ts';
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
  /** The horizon of its retry schedule: no attempt after it (delivery-schedule.ts). */
  giveUpAt: string;
};

/** What `recordLeased` does with the lease once the update is stored. */
export type LeaseAfter = { release: true } | { release: false; expiresAt: string };

/** A lease counts only while unexpired and taken on the current delivery. */
const FREE = `(lease_expires_at IS NULL OR lease_expires_at <= $1
  OR lease_delivery_id IS DISTINCT FROM delivery_id)`;

/** The delivery's schedule was started on this delivery (not an older intent's). */
const SCHEDULED = `schedule_delivery_id IS NOT DISTINCT FROM delivery_id`;

/** Which rows a claim takes. */
export type ClaimKind =
  /** PENDING, FAILED whose next_attempt_at has come, SENT whose lease expired: to attempt. */
  | 'due'
  /** Any open delivery whose schedule's horizon has passed: to dead-letter (circuit open). */
  | 'exhausted';

/**
 * Claims up to `limit` deliveries of one channel in one statement (each channel is its own lane).
 * FOR UPDATE SKIP LOCKED makes concurrent claimers take disjoint rows without waiting; the
 * re-check under the row lock (READ COMMITTED) keeps a row that another claim just leased from
 * being claimed twice. A delivery claimed for the first time starts its retry schedule: its
 * horizon is `giveUpAfterMs` from now, never past the promotion's end.
 */
export async function claimDue(
  db: SqlDatabase,
  claim: {
    owner: string;
    token: string;
    now: Date;
    leaseMs: number;
    limit: number;
    channel: SalesChannel;
    giveUpAfterMs: number;
    kind?: ClaimKind;
  },
): Promise<ClaimedDelivery[]> {
  const which =
    claim.kind === 'exhausted'
      ? `${SCHEDULED} AND give_up_at <= $1`
      : `(status = 'SENT' OR next_attempt_at IS NULL OR next_attempt_at <= $1)`;
  const { rows } = await db.query<
    PublicationRow & { promotion_id: string; previous_owner: string | null; give_up_at: unknown }
  >(
    `WITH due AS (
       SELECT promotion_id, channel, lease_owner AS previous_owner FROM channel_publications
        WHERE channel = $6 AND status IN ('PENDING', 'FAILED', 'SENT') AND ${which}
          AND ${FREE}
        ORDER BY next_attempt_at NULLS FIRST, updated_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
     UPDATE channel_publications c
        SET lease_owner = $3, lease_token = $4, lease_delivery_id = c.delivery_id,
            lease_expires_at = $5, ${START_SCHEDULE}
       FROM due, promotions p
      WHERE c.promotion_id = due.promotion_id AND c.channel = due.channel
        AND p.id = c.promotion_id
     RETURNING c.*, due.previous_owner`,
    [
      claim.now.toISOString(),
      claim.limit,
      claim.owner,
      claim.token,
      new Date(claim.now.getTime() + claim.leaseMs).toISOString(),
      claim.channel,
      claim.giveUpAfterMs,
    ],
  );
  return rows.map((row) => ({
    promotionId: row.promotion_id,
    publication: publicationFromRow(row),
    lease: { owner: claim.owner, token: claim.token },
    previousOwner: row.status === 'SENT' ? row.previous_owner : null,
    giveUpAt: toIso(row.give_up_at)!,
  }));
}

/**
 * SET clause (old values on the right, as UPDATE sees them) starting a delivery's schedule once:
 * $1 now, $7 giveUpAfter in ms, `p` the promotion row.
 */
const START_SCHEDULE = `schedule_delivery_id = c.delivery_id,
  schedule_started_at = CASE WHEN c.schedule_delivery_id IS NOT DISTINCT FROM c.delivery_id
    THEN c.schedule_started_at ELSE $1::timestamptz END,
  give_up_at = CASE WHEN c.schedule_delivery_id IS NOT DISTINCT FROM c.delivery_id
    THEN c.give_up_at
    ELSE least($1::timestamptz + $7::int * interval '1 millisecond', p.ends_at) END`;

/**
 * Starts the schedule of the channel's open deliveries that have none yet, without claiming them:
 * run while the channel's circuit is open, so a delivery waiting behind it still reaches its
 * horizon (and is dead-lettered) if the channel never answers again. Rows locked by a claim or an
 * outcome write are skipped (the claim starts their schedule itself).
 */
export async function startSchedules(
  db: SqlDatabase,
  at: { now: Date; channel: SalesChannel; giveUpAfterMs: number },
): Promise<number> {
  const { rowCount } = await db.query(
    `WITH waiting AS (
       SELECT promotion_id, channel FROM channel_publications
        WHERE channel = $2 AND status IN ('PENDING', 'FAILED', 'SENT')
          AND NOT (${SCHEDULED})
        FOR UPDATE SKIP LOCKED)
     UPDATE channel_publications c SET ${START_SCHEDULE.replaceAll('$7', '$3')}
       FROM waiting, promotions p
      WHERE c.promotion_id = waiting.promotion_id AND c.channel = waiting.channel
        AND p.id = c.promotion_id`,
    [at.now.toISOString(), at.channel, at.giveUpAfterMs],
  );
  return rowCount;
}

/**
 * Makes every FAILED delivery of the channel due now (the redrive once its circuit closed
 * again): the channel answers, so nobody waits for a backoff computed while it was down.
 * Returns how many.
 */
export async function redriveWaiting(
  db: SqlDatabase,
  at: { now: Date; channel: SalesChannel },
): Promise<number> {
  const { rowCount } = await db.query(
    `WITH waiting AS (
       SELECT promotion_id, channel FROM channel_publications
        WHERE channel = $2 AND status = 'FAILED' AND next_attempt_at > $1
        FOR UPDATE SKIP LOCKED)
     UPDATE channel_publications c SET next_attempt_at = $1
       FROM waiting
      WHERE c.promotion_id = waiting.promotion_id AND c.channel = waiting.channel`,
    [at.now.toISOString(), at.channel],
  );
  return rowCount;
}

/** Gives a claim back without any change (its circuit refused the send): nothing was attempted. */
export async function releaseLease(
  db: SqlDatabase,
  claimed: Pick<ClaimedDelivery, 'promotionId' | 'publication' | 'lease'>,
): Promise<void> {
  await db.query(
    `UPDATE channel_publications SET lease_owner = NULL, lease_token = NULL,
       lease_delivery_id = NULL, lease_expires_at = NULL
      WHERE promotion_id = $1 AND channel = $2 AND delivery_id = $3 AND lease_token = $4`,
    [
      claimed.promotionId,
      claimed.publication.channel,
      claimed.publication.deliveryId,
      claimed.lease.token,
    ],
  );
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

/** The open work of one channel lane. */
export type LaneBacklog = {
  /** Deliveries not yet ACKNOWLEDGED or DEAD_LETTERED. */
  open: number;
  /** The earliest time one of them can be claimed to attempt (null when none is open). */
  nextDueAt: string | null;
  /** The earliest horizon among them (null when none has a schedule yet). */
  nextGiveUpAt: string | null;
  /** Open deliveries without a schedule yet (never claimed). */
  unscheduled: number;
};

/** How much work is left per channel, and when its next piece becomes claimable. */
export async function openDeliveries(
  db: SqlDatabase,
  now: Date,
): Promise<Map<SalesChannel, LaneBacklog>> {
  const { rows } = await db.query(
    `SELECT channel, count(*)::int AS open, min(greatest(
         CASE WHEN status = 'SENT' THEN NULL ELSE next_attempt_at END,
         CASE WHEN ${FREE} THEN NULL ELSE lease_expires_at END,
         $1::timestamptz)) AS next_due_at,
         min(CASE WHEN ${SCHEDULED} THEN give_up_at END) AS next_give_up_at,
         count(*) FILTER (WHERE NOT (${SCHEDULED}))::int AS unscheduled
       FROM channel_publications WHERE status IN ('PENDING', 'FAILED', 'SENT')
      GROUP BY channel`,
    [now.toISOString()],
  );
  return new Map(
    rows.map((row) => [
      row.channel as SalesChannel,
      {
        open: Number(row.open),
        nextDueAt: toIso(row.next_due_at),
        nextGiveUpAt: toIso(row.next_give_up_at),
        unscheduled: Number(row.unscheduled),
      },
    ]),
  );
}

/** A dead-lettered delivery (for the bulk redrive). */
export type DeadLetter = { promotionId: string; channel: SalesChannel; lastError: string | null };

/** Which dead letters: of one channel and/or some promotions (null: any), at most `limit`. */
export type DeadLetterFilter = {
  channel?: SalesChannel | null;
  promotionIds?: readonly string[] | null;
  limit: number;
};

/** Dead letters matching `filter`, oldest first. */
export async function deadLetters(
  db: SqlDatabase,
  filter: DeadLetterFilter,
): Promise<DeadLetter[]> {
  const { rows } = await db.query(
    `SELECT promotion_id, channel, last_error FROM channel_publications
      WHERE status = 'DEAD_LETTERED' AND ($1::text IS NULL OR channel = $1)
        AND ($2::text[] IS NULL OR promotion_id = ANY($2::text[]))
      ORDER BY updated_at, promotion_id, channel
      LIMIT $3`,
    [filter.channel ?? null, filter.promotionIds ? [...filter.promotionIds] : null, filter.limit],
  );
  return rows.map((row) => ({
    promotionId: row.promotion_id as string,
    channel: row.channel as SalesChannel,
    lastError: (row.last_error as string | null) ?? null,
  }));
}
