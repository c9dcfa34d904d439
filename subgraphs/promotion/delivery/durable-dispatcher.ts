import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelPublisher } from './channel-publisher.ts';
import type { DeliveryQueue } from '../commands/command-core.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import type { SqlDatabase } from '../storage/sql-database.ts';
import { runClaimedDelivery, type AttemptContext } from './delivery-attempt.ts';
import { claimDue, openDeliveries, type ClaimedDelivery } from './delivery-leases.ts';

export type DurableDispatcherOptions = {
  db: SqlDatabase;
  /** Its `onEvents` hook (the outbox relay's wake-up) is called after every stored change. */
  repository: { onEvents?: ((events: PromotionBusEvent[]) => void) | undefined };
  publisher: ChannelPublisher;
  /** Default: the system clock. Processes sharing a database need clocks in sync (NTP). */
  clock?: () => Date;
  /** Attempts before a delivery is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Retry delay after the first failure (exponential, equal jitter). Default 500 ms. */
  initialDelayMs?: number;
  /** Largest retry delay. Default 60 000 ms. */
  maxDelayMs?: number;
  /** Longest wait between claim passes (other processes' commits, due retries). Default 1000 ms. */
  pollIntervalMs?: number;
  /** This instance in `lease_owner`. Default `<host>:<pid>:<random>`. */
  owner?: string;
  /**
   * How long a claim is exclusive. Must exceed one send (the publisher timeout, default 5 s) plus
   * two status writes; a dispatcher that dies holding a lease delays its deliveries by at most
   * this much. Default 30 000 ms.
   */
  leaseMs?: number;
  /** Sends in flight per instance. Default 8. */
  concurrency?: number;
  /** Where a failed pass or attempt is reported. Default: console.error. */
  onError?: (error: unknown) => void;
};

/** What the app and the commands need of the dispatcher. */
export type ChannelDeliveryDispatcher = DeliveryQueue & {
  whenIdle(): Promise<void>;
  close(): void | Promise<void>;
};

/** Smallest wait before re-checking a due row another claimer held locked a moment ago. */
const MIN_WAKE_MS = 20;

/**
 * Delivers channel publications from the database, so nothing is lost across restarts and
 * several processes can share the work: each pass claims due rows with FOR UPDATE SKIP LOCKED
 * and a lease (delivery-leases.ts), and each claimed delivery makes one attempt
 * (delivery-attempt.ts). Retries are rows with a future `next_attempt_at`, picked up by a later
 * pass: a timer wakes the dispatcher when the next one is due, at the latest every
 * `pollIntervalMs`; `enqueue`/`wake` after a commit start a pass at once. At-least-once: a
 * dispatcher that dies mid-send leaves a SENT row whose lease expires, and another one sends the
 * same idempotency key again.
 */
export class DurableChannelDispatcher implements ChannelDeliveryDispatcher {
  readonly owner: string;
  private readonly ctx: AttemptContext;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private requested = false;
  private closed = false;

  constructor(private readonly options: DurableDispatcherOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.concurrency = options.concurrency ?? 8;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.ctx = {
      db: options.db,
      publisher: options.publisher,
      clock: this.clock,
      maxAttempts: options.maxAttempts ?? 5,
      leaseMs: this.leaseMs,
      backoff: {
        initialDelayMs: options.initialDelayMs ?? 500,
        maxDelayMs: options.maxDelayMs ?? 60_000,
      },
      onEvents: (events) => options.repository.onEvents?.(events),
    };
  }

  /** A delivery was committed (its row is the job): start a pass now. */
  enqueue(): void {
    this.wake();
  }

  /** Starts a claim pass unless one is running (then it runs once more). */
  wake(): void {
    if (this.closed) return;
    this.requested = true;
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      // A wake between the loop's last check and here must not be lost.
      if (this.requested) this.wake();
    });
  }

  /**
   * Resolves once no delivery in the database is open (PENDING, SENT or FAILED) and none is in
   * flight here: every delivery reached ACKNOWLEDGED or DEAD_LETTERED, by this or another
   * instance. Also resolves on close.
   */
  whenIdle(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.wake();
    return idle;
  }

  /** Stops claiming, then waits for the attempts in flight (each finishes its send and write). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.loop;
    await Promise.all(this.inFlight);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(): Promise<void> {
    while (this.requested && !this.closed) {
      this.requested = false;
      try {
        await this.pass();
      } catch (error) {
        this.report(error);
        this.schedule(this.pollIntervalMs || MIN_WAKE_MS * 50);
      }
    }
  }

  private async pass(): Promise<void> {
    const free = this.concurrency - this.inFlight.size;
    // At capacity: the next attempt to finish wakes the dispatcher.
    if (free <= 0) return this.schedule();
    const claimed = await claimDue(this.options.db, {
      owner: this.owner,
      token: randomUUID(),
      now: this.clock(),
      leaseMs: this.leaseMs,
      limit: free,
    });
    for (const delivery of claimed) this.start(delivery);
    if (claimed.length === free) {
      this.requested = true; // more may be due
      return;
    }
    const now = this.clock();
    const { open, nextDueAt } = await openDeliveries(this.options.db, now);
    if (open === 0 && this.inFlight.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    // A due row nobody could claim was locked by another claimer a moment ago: look again soon.
    const dueIn = nextDueAt === null ? undefined : Date.parse(nextDueAt) - now.getTime();
    this.schedule(dueIn === undefined ? undefined : Math.max(MIN_WAKE_MS, dueIn));
  }

  private start(delivery: ClaimedDelivery): void {
    const attempt = runClaimedDelivery(this.ctx, delivery)
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }

  /** The next pass: after `ms` when sooner than the poll interval. */
  private schedule(ms?: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const every = this.pollIntervalMs > 0 ? this.pollIntervalMs : undefined;
    const delay = ms === undefined ? every : every === undefined ? ms : Math.min(ms, every);
    if (delay === undefined) return;
    this.timer = setTimeout(() => this.wake(), delay);
    // Keep the process alive only while someone waits for the deliveries to finish.
    if (!this.idleWaiters.length && !this.inFlight.size) this.timer.unref();
  }

  private report(error: unknown): void {
    (this.options.onError ?? ((e) => console.error('[promotion] channel dispatcher', e)))(error);
  }
}

/**
 * The channel dispatcher, on PostgreSQL and PGlite alike. Polling starts at once and the first
 * pass picks up whatever a previous run left: PENDING and due FAILED deliveries, and SENT ones
 * whose lease expired.
 */
export function createDurableDispatcher(
  options: DurableDispatcherOptions,
): DurableChannelDispatcher {
  const dispatcher = new DurableChannelDispatcher(options);
  dispatcher.wake();
  return dispatcher;
}
