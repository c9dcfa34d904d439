import { ExponentialBackoff, handleAll, retry, type RetryPolicy } from 'cockatiel';
import { deliveryStatusRecords } from './delivery-status-records.ts';
import type { ChannelPublisher } from './channel-publisher.ts';
import { DeliveryStatus } from '../model/promotion-enums.ts';
import type { ChannelPublicationRecord, PromotionBusEvent } from '../model/promotion.model.ts';
import type { SqlDatabase } from '../storage/sql-database.ts';
import type { ChannelCircuit } from './channel-circuit.ts';
import { nextAttemptAt, type RetrySchedule } from './delivery-schedule.ts';
import {
  recordLeased,
  releaseLease,
  type ClaimKind,
  type ClaimedDelivery,
  type LeaseAfter,
} from './delivery-leases.ts';

export type AttemptContext = {
  db: SqlDatabase;
  publisher: ChannelPublisher;
  clock: () => Date;
  leaseMs: number;
  /** Receives the events of every stored status change (e.g. to wake the outbox relay). */
  onEvents: (events: PromotionBusEvent[]) => void;
  /** Told of every delivery this dispatcher dead-lettered (after the write). */
  onDeadLetter: (claimed: ClaimedDelivery, attempts: number, lastError: string) => void;
};

/** What one channel's lane brings to an attempt: its schedule, timeout and circuit. */
export type LaneSettings = {
  schedule: RetrySchedule;
  requestTimeoutMs: number;
  circuit: ChannelCircuit;
};

const RELEASE: LeaseAfter = { release: true };

/**
 * A status write that fails (connection lost) is retried a few times with a fresh pooled
 * connection before the attempt gives up and leaves the delivery to lease expiry. Safe to
 * repeat: each write is guarded by the lease token and the status it expects to find.
 */
const storePolicy: RetryPolicy = retry(handleAll, {
  maxAttempts: 4,
  backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }),
});

/**
 * One attempt of a claimed delivery (the delivery state machine): SENT, then ACKNOWLEDGED,
 * FAILED (next_attempt_at from the channel's schedule, delivery-schedule.ts) or DEAD_LETTERED
 * (schedule exhausted, or at once on a permanent answer). The send goes through the channel's
 * circuit: when it refuses (open), nothing is attempted and the claim is given back unchanged. A
 * claim of kind `exhausted` (horizon passed behind an open circuit) is dead-lettered without an
 * attempt. A claimed SENT delivery was abandoned by a dispatcher that died: that attempt is
 * recorded as FAILED first. Stops quietly when the delivery was superseded or the lease was lost
 * to another dispatcher.
 */
export async function runClaimedDelivery(
  ctx: AttemptContext,
  lane: LaneSettings,
  claimed: ClaimedDelivery,
  kind: ClaimKind = 'due',
): Promise<void> {
  const { publication } = claimed;
  const horizon = new Date(claimed.giveUpAt);
  const now = () => ctx.clock().toISOString();
  const store = (
    expect: DeliveryStatus,
    status: DeliveryStatus,
    patch: Partial<ChannelPublicationRecord>,
    after: LeaseAfter = RELEASE,
  ) => storeStatus(ctx, claimed, expect, status, patch, after);
  const deadLetter = async (expect: DeliveryStatus, attempts: number, lastError: string) => {
    if (await store(expect, DeliveryStatus.DEAD_LETTERED, { lastError })) {
      ctx.onDeadLetter(claimed, attempts, lastError);
    }
  };
  const keepLease = (): LeaseAfter => ({
    release: false,
    expiresAt: new Date(ctx.clock().getTime() + ctx.leaseMs).toISOString(),
  });

  let current = publication.status;
  if (kind === 'exhausted') {
    const last = publication.lastError ? ` (last error: ${publication.lastError})` : '';
    const lastError = `retry schedule exhausted at ${claimed.giveUpAt} while the ${publication.channel} circuit was open${last}`;
    return deadLetter(current, publication.attempts, lastError);
  }
  if (current === DeliveryStatus.SENT) {
    const lastError = `attempt ${publication.attempts} abandoned: the lease of ${claimed.previousOwner ?? 'another dispatcher'} expired before its outcome was recorded`;
    if (!nextAttemptAt(publication.attempts, ctx.clock(), lane.schedule, horizon)) {
      return deadLetter(current, publication.attempts, lastError);
    }
    const patch = { lastError, nextAttemptAt: now() };
    if (!(await store(current, DeliveryStatus.FAILED, patch, keepLease()))) return;
    current = DeliveryStatus.FAILED;
  }
  // Open circuit (it opened since the claim): give the claim back, no attempt used.
  if (lane.circuit.admits() === 0) return releaseLease(ctx.db, claimed);
  const attempts = publication.attempts + 1;
  const sent = await store(
    current,
    DeliveryStatus.SENT,
    { attempts, sentAt: now(), nextAttemptAt: null },
    keepLease(),
  );
  if (!sent) return;
  const outcome = await lane.circuit.send(() =>
    ctx.publisher.deliver({
      channel: publication.channel,
      body: JSON.stringify(publication.payload),
      idempotencyKey: publication.payload.idempotencyKey,
      deliveryId: publication.deliveryId,
      timeoutMs: lane.requestTimeoutMs,
    }),
  );
  if (outcome === undefined) {
    // The circuit refused between the check and the send: nothing went out, the attempt is not counted.
    await store(DeliveryStatus.SENT, DeliveryStatus.FAILED, {
      attempts: publication.attempts,
      lastError: `not sent: the ${publication.channel} circuit is open`,
      nextAttemptAt: now(),
    });
  } else if (outcome.kind === 'acknowledged') {
    await store(DeliveryStatus.SENT, DeliveryStatus.ACKNOWLEDGED, {
      acknowledgedAt: now(),
      channelRef: outcome.channelRef ?? publication.channelRef,
      publishedVersion: publication.targetVersion,
      acknowledgedIntent: publication.payload.intent,
      lastError: null,
    });
  } else {
    const next =
      outcome.kind === 'permanent'
        ? undefined
        : nextAttemptAt(attempts, ctx.clock(), lane.schedule, horizon);
    if (next === undefined) await deadLetter(DeliveryStatus.SENT, attempts, outcome.error);
    else {
      await store(DeliveryStatus.SENT, DeliveryStatus.FAILED, {
        lastError: outcome.error,
        nextAttemptAt: next.toISOString(),
      });
    }
  }
}

/** Stores one status change with its event and audit entry (delivery-status-records.ts). */
async function storeStatus(
  ctx: AttemptContext,
  claimed: ClaimedDelivery,
  expect: DeliveryStatus,
  status: DeliveryStatus,
  patch: Partial<ChannelPublicationRecord>,
  after: LeaseAfter,
): Promise<boolean> {
  const { publication } = claimed;
  const at = ctx.clock().toISOString();
  const lastError = patch.lastError ?? null;
  const update = {
    promotionId: claimed.promotionId,
    channel: publication.channel,
    deliveryId: publication.deliveryId,
    patch: { ...patch, status },
    ...deliveryStatusRecords(publication, status, lastError, at),
  };
  const result = await storePolicy.execute(() =>
    recordLeased(ctx.db, claimed.lease, expect, update, after),
  );
  if (result) ctx.onEvents(result.events);
  return result !== undefined;
}
