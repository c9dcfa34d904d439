import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelPublisher } from './channel-publisher.ts';
import type { DeliveryQueue } from '../commands/command-core.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import type { SqlDatabase } from '../storage/sql-database.ts';
import type { ChannelDeliveryPolicy, DeliveryPolicy } from '../../../policies/delivery-policy.ts';
import { SALES_CHANNELS } from '../../../contracts/canonical/sales-channels.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { ChannelCircuit, type CircuitStateName } from './channel-circuit.ts';
import { runClaimedDelivery, type AttemptContext, type LaneSettings } from './delivery-attempt.ts';
import type { DeliveryEvent } from './delivery-events.ts';
import {
  claimDue,
  deadLetters,
  openDeliveries,
  redriveWaiting,
  startSchedules,
  type ClaimKind,
  type ClaimedDelivery,
  type DeadLetter,
  type DeadLetterFilter,
} from './delivery-leases.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

export type DurableDispatcherOptions = {
  db: SqlDatabase;
  /** Its `onEvents` hook (the outbox relay's wake-up) is called after every stored change. */
  repository: { onEvents?: ((events: PromotionBusEvent[]) => void) | undefined };
  publisher: ChannelPublisher;
  /**
   * Per channel: retry schedule, concurrency, request timeout, circuit (policies/delivery.yaml,
   * loaded by policies/delivery-policy.ts). Required: each channel is its own lane.
   */
  policy: DeliveryPolicy;
  /** Default: the system clock. Processes sharing a database need clocks in sync (NTP). */
  clock?: () => Date;
  /** Longest wait between claim passes (other processes' commits, due retries). Default 1000 ms. */
  pollIntervalMs?: number;
  /** This instance in `lease_owner`. Default `<host>:<pid>:<random>`. */
  owner?: string;
  /**
   * How long a claim is exclusive. Must exceed one send (the longest `requestTimeout` of the
   * policy) plus two status writes; a dispatcher that dies holding a lease delays its deliveries
   * by at most this much. Default 30 000 ms.
   */
  leaseMs?: number;
  /** Where a failed pass or attempt is reported. Default: the process's logger (error). */
  onError?: (error: unknown) => void;
  /** Each dead letter and circuit change (delivery-events.ts). Default: none. */
  onDeliveryEvent?: (event: DeliveryEvent) => void;
};

/** What the app and the commands need of the dispatcher. */
export type ChannelDeliveryDispatcher = DeliveryQueue & {
  whenIdle(): Promise<void>;
  /** Dead letters, oldest first (the bulk redrive). */
  deadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]>;
  close(): void | Promise<void>;
};

/** Smallest wait before re-checking a due row another claimer held locked a moment ago. */
const MIN_WAKE_MS = 20;

/** One channel's lane: its policy, its circuit (per instance) and its own slots. */
type Lane = {
  channel: SalesChannel;
  policy: ChannelDeliveryPolicy;
  settings: LaneSettings;
  inFlight: Set<Promise<void>>;
};

/**
 * Delivers channel publications from the database, so nothing is lost across restarts and
 * several processes can share the work. Each sales channel is its own lane (policy per channel,
 * policies/delivery.yaml): its own slots (`concurrency`), so a slow channel never delays another;
 * its own retry schedule (delivery-schedule.ts); its own circuit (channel-circuit.ts, per
 * instance): while open, the lane claims nothing but one probe per cool-down, and deliveries that
 * reach their horizon meanwhile are dead-lettered without an attempt; when the probe succeeds the
 * circuit closes and every waiting delivery of the channel is made due at once (redrive).
 *
 * Each pass reads the open work per channel, then claims due rows per lane with FOR UPDATE SKIP
 * LOCKED and a lease (delivery-leases.ts); each claimed delivery makes one attempt
 * (delivery-attempt.ts). Retries are rows with a future `next_attempt_at`: a timer wakes the
 * dispatcher when the next one (or the next probe) is due, at the latest every `pollIntervalMs`;
 * `enqueue`/`wake` after a commit start a pass at once. At-least-once: a dispatcher that dies
 * mid-send leaves a SENT row whose lease expires, and another one sends the same idempotency key
 * again.
 */
export class DurableChannelDispatcher implements ChannelDeliveryDispatcher {
  readonly owner: string;
  private readonly ctx: AttemptContext;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly lanes: Lane[];
  private idleWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private requested = false;
  private closed = false;

  constructor(private readonly options: DurableDispatcherOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.lanes = SALES_CHANNELS.map((channel) => this.lane(channel));
    this.ctx = {
      db: options.db,
      publisher: options.publisher,
      clock: this.clock,
      leaseMs: this.leaseMs,
      onEvents: (events) => options.repository.onEvents?.(events),
      onDeadLetter: (claimed, attempts, lastError) =>
        this.emit({
          kind: 'DEAD_LETTERED',
          at: this.clock().toISOString(),
          channel: claimed.publication.channel,
          promotionId: claimed.promotionId,
          deliveryId: claimed.publication.deliveryId,
          attempts,
          lastError,
        }),
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

  deadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    return deadLetters(this.options.db, filter);
  }

  /** The circuit state of each channel's lane in this instance. */
  circuits(): Record<SalesChannel, CircuitStateName> {
    return Object.fromEntries(
      this.lanes.map((lane) => [lane.channel, lane.settings.circuit.state]),
    ) as Record<SalesChannel, CircuitStateName>;
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
    await Promise.all(this.lanes.flatMap((lane) => [...lane.inFlight]));
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private lane(channel: SalesChannel): Lane {
    const policy = this.options.policy.channels[channel];
    if (policy.requestTimeoutMs >= this.leaseMs) {
      throw new Error(
        `delivery policy: ${channel} requestTimeout (${policy.requestTimeoutMs} ms) must be below the dispatcher lease (${this.leaseMs} ms)`,
      );
    }
    const circuit = new ChannelCircuit(policy.circuit, (state) =>
      this.circuitChanged(channel, state),
    );
    return {
      channel,
      policy,
      settings: { schedule: policy.retry, requestTimeoutMs: policy.requestTimeoutMs, circuit },
      inFlight: new Set(),
    };
  }

  private inFlightCount(): number {
    return this.lanes.reduce((n, lane) => n + lane.inFlight.size, 0);
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
    const now = this.clock();
    const backlog = await openDeliveries(this.options.db, now);
    let open = 0;
    let wakeIn: number | undefined;
    const wakeAt = (ms: number) => {
      wakeIn = Math.min(wakeIn ?? ms, Math.max(MIN_WAKE_MS, ms));
    };
    for (const lane of this.lanes) {
      const work = backlog.get(lane.channel);
      if (!work || this.closed) continue;
      open += work.open;
      const due = work.nextDueAt !== null && Date.parse(work.nextDueAt) <= now.getTime();
      const free = lane.policy.concurrency - lane.inFlight.size;
      const { circuit } = lane.settings;
      if (circuit.state === 'CLOSED') {
        // At capacity: the next attempt of this lane to finish wakes the dispatcher.
        if (free <= 0) continue;
        if (due && (await this.claim(lane, now, free, 'due')) === free) this.requested = true;
        // Due and nothing claimed: another claimer held it a moment ago; look again soon.
        else if (work.nextDueAt !== null) wakeAt(Date.parse(work.nextDueAt) - now.getTime());
        continue;
      }
      // Open or half-open: no sends but one probe per cool-down; horizons still run out.
      if (work.unscheduled > 0) {
        const { giveUpAfterMs } = lane.policy.retry;
        await startSchedules(this.options.db, { now, channel: lane.channel, giveUpAfterMs });
      }
      const giveUpAt = work.nextGiveUpAt === null ? undefined : Date.parse(work.nextGiveUpAt);
      if (giveUpAt !== undefined && giveUpAt <= now.getTime() && free > 0) {
        if ((await this.claim(lane, now, free, 'exhausted')) === free) this.requested = true;
      } else if (giveUpAt !== undefined) wakeAt(giveUpAt - now.getTime());
      if (due && lane.inFlight.size === 0 && circuit.admits() > 0) {
        await this.claim(lane, now, 1, 'due');
      } else {
        const probeAt = circuit.probeDueAt();
        if (probeAt !== undefined && due) wakeAt(probeAt - Date.now());
      }
    }
    if (open === 0 && this.inFlightCount() === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.schedule(wakeIn);
  }

  /** Claims up to `limit` rows of the lane and starts them; returns how many. */
  private async claim(lane: Lane, now: Date, limit: number, kind: ClaimKind): Promise<number> {
    const claimed = await claimDue(this.options.db, {
      owner: this.owner,
      token: randomUUID(),
      now,
      leaseMs: this.leaseMs,
      limit,
      channel: lane.channel,
      giveUpAfterMs: lane.policy.retry.giveUpAfterMs,
      kind,
    });
    for (const delivery of claimed) this.start(lane, delivery, kind);
    return claimed.length;
  }

  private start(lane: Lane, delivery: ClaimedDelivery, kind: ClaimKind): void {
    const attempt = runClaimedDelivery(this.ctx, lane.settings, delivery, kind)
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        lane.inFlight.delete(attempt);
        this.wake();
      });
    lane.inFlight.add(attempt);
  }

  /** A lane's circuit changed: report it; once closed again, redrive what waited behind it. */
  private circuitChanged(channel: SalesChannel, state: CircuitStateName): void {
    const event = { kind: 'CIRCUIT_CHANGED' as const, channel, state, owner: this.owner };
    if (state !== 'CLOSED') {
      this.emit({ ...event, at: this.clock().toISOString() });
      return;
    }
    const now = this.clock();
    redriveWaiting(this.options.db, { now, channel })
      .then((redriven) => this.emit({ ...event, at: now.toISOString(), redriven }))
      .catch((error: unknown) => this.report(error))
      .finally(() => this.wake());
  }

  private emit(event: DeliveryEvent): void {
    try {
      this.options.onDeliveryEvent?.(event);
    } catch (error) {
      this.report(error);
    }
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
    if (!this.idleWaiters.length && !this.inFlightCount()) this.timer.unref();
  }

  private report(error: unknown): void {
    (
      this.options.onError ??
      ((err) => processLogger().error({ err }, 'promotion channel dispatcher failed'))
    )(error);
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
