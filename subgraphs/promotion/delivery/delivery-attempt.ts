import { ExponentialBackoff, handleAll, retry, type RetryPolicy } from 'cockatiel';
import { deliveryStatusRecords } from './delivery-status-records.ts';
import type { ChannelPublisher } from './channel-publisher.ts';
import { DeliveryStatus } from '../model/promotion-enums.ts';
import type { ChannelPublicationRecord, PromotionBusEvent } from '../model/promotion.model.ts';
import type { SqlDatabase } from '../storage/sql-database.ts';
import { retryDelayMs, type RetryBackoffOptions } from './delivery-backoff.ts';
import { recordLeased, type ClaimedDelivery, type LeaseAfter } from './delivery-leases.ts';

export type AttemptContext = {
  db: SqlDatabase;
  publisher: ChannelPublisher;
  clock: () => Date;
  maxAttempts: number;
  leaseMs: number;
  backoff: RetryBackoffOptions;
  /** Receives the events of every stored status change (e.g. to wake the outbox relay). */
  onEvents: (events: PromotionBusEvent[]) => void;
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
 * FAILED (next_attempt_at from the backoff) or DEAD_LETTERED (after `maxAttempts`, or at once
 * on a permanent answer). A claimed SENT delivery was abandoned by a
 * dispatcher that died: that attempt is recorded as FAILED first. Stops quietly when the
 * delivery was superseded or the lease was lost to another dispatcher.
 */
export async function runClaimedDelivery(
  ctx: AttemptContext,
  claimed: ClaimedDelivery,
): Promise<void> {
  const { publication } = claimed;
  const now = () => ctx.clock().toISOString();
  const store = (
    expect: DeliveryStatus,
    status: DeliveryStatus,
    patch: Partial<ChannelPublicationRecord>,
    after: LeaseAfter = RELEASE,
  ) => storeStatus(ctx, claimed, expect, status, patch, after);
  const keepLease = (): LeaseAfter => ({
    release: false,
    expiresAt: new Date(ctx.clock().getTime() + ctx.leaseMs).toISOString(),
  });

  let current = publication.status;
  if (current === DeliveryStatus.SENT) {
    const lastError = `attempt ${publication.attempts} abandoned: the lease of ${claimed.previousOwner ?? 'another dispatcher'} expired before its outcome was recorded`;
    if (publication.attempts >= ctx.maxAttempts) {
      await store(current, DeliveryStatus.DEAD_LETTERED, { lastError });
      return;
    }
    const patch = { lastError, nextAttemptAt: now() };
    if (!(await store(current, DeliveryStatus.FAILED, patch, keepLease()))) return;
    current = DeliveryStatus.FAILED;
  }
  const attempts = publication.attempts + 1;
  const sent = await store(
    current,
    DeliveryStatus.SENT,
    { attempts, sentAt: now(), nextAttemptAt: null },
    keepLease(),
  );
  if (!sent) return;
  const outcome = await ctx.publisher.deliver({
    channel: publication.channel,
    body: JSON.stringify(publication.payload),
    idempotencyKey: publication.payload.idempotencyKey,
    deliveryId: publication.deliveryId,
  });
  if (outcome.kind === 'acknowledged') {
    await store(DeliveryStatus.SENT, DeliveryStatus.ACKNOWLEDGED, {
      acknowledgedAt: now(),
      channelRef: outcome.channelRef ?? publication.channelRef,
      publishedVersion: publication.targetVersion,
      lastError: null,
    });
  } else if (outcome.kind === 'permanent' || attempts >= ctx.maxAttempts) {
    await store(DeliveryStatus.SENT, DeliveryStatus.DEAD_LETTERED, { lastError: outcome.error });
  } else {
    const delay = retryDelayMs(attempts, ctx.backoff);
    await store(DeliveryStatus.SENT, DeliveryStatus.FAILED, {
      lastError: outcome.error,
      nextAttemptAt: new Date(ctx.clock().getTime() + delay).toISOString(),
    });
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
