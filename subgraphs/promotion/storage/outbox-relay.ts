import type { EventBus } from '../events/event-bus.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { toInt, type SqlDatabase } from './sql-database.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

export type OutboxRelayOptions = {
  db: SqlDatabase;
  bus: EventBus;
  /** Rows per transaction. Default 100. */
  batchSize?: number;
  /** Poll period in ms (catches commits of other processes); 0 disables polling. Default 1000. */
  pollIntervalMs?: number;
  /** Where a failed background pass is reported. Default: the process's logger (error). */
  onError?: (error: unknown) => void;
};

/** One relay at a time per schema: the bus must receive cursors in order. */
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('promotion.outbox-relay:' || current_schema()))`;

/**
 * Forwards unpublished outbox rows to the event bus in cursor order and marks them published.
 *
 * Several relays (processes) may run: each batch is one transaction that first waits for a
 * per-schema advisory lock, so exactly one relay forwards at a time and the bus sees cursors
 * strictly in order. (Row locks with SKIP LOCKED would let two relays forward disjoint batches
 * concurrently, out of order.) Waiting, rather than skipping when the lock is busy, means a
 * wake-up is never lost. Delivery is at-least-once if a relay dies between the bus append and
 * COMMIT; events at or before the bus's latest cursor are skipped, so a replay adds nothing.
 * Rows are marked, never deleted: the outbox stays the record subscriptions fall back on where
 * the bus no longer holds an event (outbox-history.ts, events/history-event-bus.ts).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private requested = false;
  private closed = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    const every = options.pollIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => this.wake(), every);
      this.timer.unref();
    }
  }

  /** Schedules a pass (call after a commit); errors go to `onError`. */
  wake(): void {
    this.drain().catch(
      this.options.onError ??
        ((err) => processLogger().error({ err }, 'promotion outbox relay failed')),
    );
  }

  /** Resolves once every row committed before the call has been forwarded (by some relay). */
  drain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.requested = true;
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
    return this.loop;
  }

  /** Stops polling and waits for the running pass. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.requested && !this.closed) {
      this.requested = false;
      while (!this.closed && (await this.relayBatch()) === this.batchSize);
    }
  }

  /** Forwards one batch; returns how many rows it took. */
  private relayBatch(): Promise<number> {
    return this.options.db.transaction(async (tx) => {
      await tx.query(LOCK);
      const { rows } = await tx.query<{ cursor: unknown; event: PromotionBusEvent }>(
        `SELECT cursor, event FROM outbox WHERE published_at IS NULL ORDER BY cursor LIMIT $1`,
        [this.batchSize],
      );
      if (!rows.length) return 0;
      const latest = this.options.bus.latestCursor();
      const events = rows.map((r) => r.event).filter((e) => latest === null || e.cursor > latest);
      if (events.length) await this.options.bus.append(events);
      await tx.query('UPDATE outbox SET published_at = now() WHERE cursor = ANY($1::bigint[])', [
        rows.map((r) => toInt(r.cursor)),
      ]);
      return rows.length;
    });
  }
}
