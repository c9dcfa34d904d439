import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { SalesChannel } from '../shared/canonical/enums.ts';
import type { ChannelPublisher } from './channel-publisher.ts';
import { deliveryStatusRecords } from './delivery-status-records.ts';
import { DeliveryStatus } from './promotion-enums.ts';
import type { ChannelPublicationRecord } from './promotion.model.ts';
import type { PromotionRepository } from './promotion.repository.ts';

export type ChannelDispatcherOptions = {
  repository: PromotionRepository;
  publisher: ChannelPublisher;
  clock: () => Date;
  /** Attempts before a delivery is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** First retry delay (exponential backoff with decorrelated jitter). Default 500 ms. */
  initialDelayMs?: number;
  /** Largest retry delay. Default 60 000 ms. */
  maxDelayMs?: number;
};

export { DISPATCHER_ACTOR } from './delivery-status-records.ts';

type Job = { promotionId: string; channel: SalesChannel; deliveryId: string };

/**
 * Delivers publications asynchronously: PENDING → SENT → ACKNOWLEDGED, or FAILED (retrying with
 * backoff) → DEAD_LETTERED after `maxAttempts` or at once on a permanent 4xx. Each status change
 * is stored (compare-and-set on the delivery id, so a newer intent wins) and emitted as a
 * CHANNEL_STATUS_CHANGED event. In-process for now: the durable dispatcher (outbox polling,
 * recovery after restart) replaces the timers later.
 */
export class ChannelDispatcher {
  private readonly maxAttempts: number;
  private readonly backoff: ExponentialBackoff<unknown>;
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly sleeps = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(private readonly options: ChannelDispatcherOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 500,
      maxDelay: options.maxDelayMs ?? 60_000,
    });
  }

  /** Starts delivering a publication's current delivery (call after it was committed). */
  enqueue(promotionId: string, channel: SalesChannel, deliveryId: string): void {
    if (this.closed) return;
    this.active++;
    setImmediate(() => {
      this.run({ promotionId, channel, deliveryId })
        .catch((error: unknown) => console.error('[promotion] channel delivery failed', error))
        .finally(() => {
          this.active--;
          if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    });
  }

  /** Resolves once no delivery is running or waiting for a retry. */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retry timers; unfinished deliveries stay in their stored status. */
  close(): void {
    this.closed = true;
    for (const [timer, resolve] of this.sleeps) {
      clearTimeout(timer);
      resolve();
    }
    this.sleeps.clear();
  }

  private async run(job: Job): Promise<void> {
    let backoff: IBackoff<unknown> | undefined;
    while (!this.closed) {
      const record = await this.options.repository.get(job.promotionId);
      const publication = record?.channels.find((c) => c.channel === job.channel);
      if (!publication || publication.deliveryId !== job.deliveryId) return;
      const attempts = publication.attempts + 1;
      const now = this.now();
      const sent = await this.update(job, publication, DeliveryStatus.SENT, {
        attempts,
        sentAt: now,
        nextAttemptAt: null,
      });
      if (!sent) return;
      const outcome = await this.options.publisher.deliver({
        channel: job.channel,
        body: JSON.stringify(publication.payload),
        idempotencyKey: publication.payload.idempotencyKey,
        deliveryId: job.deliveryId,
      });
      if (outcome.kind === 'acknowledged') {
        await this.update(job, publication, DeliveryStatus.ACKNOWLEDGED, {
          acknowledgedAt: this.now(),
          channelRef: outcome.channelRef ?? publication.channelRef,
          publishedVersion: publication.targetVersion,
          lastError: null,
        });
        return;
      }
      if (outcome.kind === 'permanent' || attempts >= this.maxAttempts) {
        await this.update(job, publication, DeliveryStatus.DEAD_LETTERED, {
          lastError: outcome.error,
        });
        return;
      }
      backoff = backoff ? backoff.next(undefined) : this.backoff.next();
      const delay = Math.round(backoff.duration);
      const failed = await this.update(job, publication, DeliveryStatus.FAILED, {
        lastError: outcome.error,
        nextAttemptAt: new Date(this.options.clock().getTime() + delay).toISOString(),
      });
      if (!failed) return;
      await this.sleep(delay);
    }
  }

  private now(): string {
    return this.options.clock().toISOString();
  }

  private async update(
    job: Job,
    publication: ChannelPublicationRecord,
    status: DeliveryStatus,
    patch: Partial<ChannelPublicationRecord>,
  ): Promise<boolean> {
    const at = this.now();
    const lastError = patch.lastError ?? null;
    const result = await this.options.repository.updateDelivery({
      ...job,
      patch: { ...patch, status },
      ...deliveryStatusRecords(publication, status, lastError, at),
    });
    return result !== undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.set(timer, resolve);
    });
  }
}
