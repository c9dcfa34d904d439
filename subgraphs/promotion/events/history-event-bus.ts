import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { CursorExpiredError } from './cursor-expired.ts';
import type { EventBus, EventStreamOptions } from './event-bus.ts';
import type { EventHistory } from './event-history.ts';

export type HistoryEventBusOptions = {
  /** Events per history (outbox) read. Default 500. */
  pageSize?: number;
};

const succ = (cursor: string): bigint => BigInt(cursor) + 1n;

/**
 * A bus whose streams never skip an event silently. Cursors are contiguous (one counter in the
 * store), so a stream checks each event it receives: a cursor beyond `last + 1`, or a bus that
 * says it no longer retains what follows `after` (CursorExpiredError), is a gap. The gap is
 * served from the history (the outbox, which keeps every event) in cursor order, then the stream
 * continues from the bus after it: no gap, no duplicate. When the history cannot serve it either
 * (not kept, or not readable), the stream ends with CursorExpiredError (`CURSOR_EXPIRED`).
 *
 * Without such a signal a bus that lost everything (Redis restarted empty, a fresh in-process
 * bus) would look merely quiet, so a stream `after` a cursor first compares with the history's
 * newest cursor when the bus knows nothing newer. `append` and `latestCursor` are the bus's.
 */
export class HistoryEventBus implements EventBus {
  private readonly pageSize: number;

  constructor(
    readonly bus: EventBus,
    private readonly history: EventHistory | null,
    options: HistoryEventBusOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 500;
  }

  append(events: readonly PromotionBusEvent[]): Promise<void> {
    return this.bus.append(events);
  }

  latestCursor(): string | null {
    return this.bus.latestCursor();
  }

  stream(options: EventStreamOptions = {}): AsyncIterableIterator<PromotionBusEvent> {
    const after = options.fromNow ? this.bus.latestCursor() : (options.after ?? null);
    return new ContiguousStream(this.bus, this.history, this.pageSize, {
      after,
      verify: !options.fromNow && after !== null,
      filter: options.filter ?? (() => true),
    });
  }
}

/** One gap-checked stream: from the bus, and from the history wherever the bus has a gap. */
class ContiguousStream implements AsyncIterableIterator<PromotionBusEvent> {
  /** Cursor of the last event taken, delivered or filtered out (null: none yet, from now). */
  private last: string | null;
  private source: AsyncIterableIterator<PromotionBusEvent> | undefined;
  /** Set while the gap up to this cursor (exclusive) is filled from the history. */
  private fillUntil: bigint | undefined;
  /** The bus event that revealed the gap, taken once the gap is filled. */
  private held: PromotionBusEvent | undefined;
  private page: PromotionBusEvent[] = [];
  private verify: boolean;
  private done = false;
  private readonly filter: (event: PromotionBusEvent) => boolean;

  constructor(
    private readonly bus: EventBus,
    private readonly history: EventHistory | null,
    private readonly pageSize: number,
    options: {
      after: string | null;
      verify: boolean;
      filter: (event: PromotionBusEvent) => boolean;
    },
  ) {
    this.last = options.after;
    this.verify = options.verify && history !== null;
    this.filter = options.filter;
  }

  async next(): Promise<IteratorResult<PromotionBusEvent>> {
    try {
      for (;;) {
        if (this.done) return { value: undefined, done: true };
        const event = await this.take();
        if (event === undefined) continue;
        if (this.done) return { value: undefined, done: true };
        this.last = event.cursor;
        if (this.filter(event)) return { value: event, done: false };
      }
    } catch (error) {
      this.close();
      throw error;
    }
  }

  return(): Promise<IteratorResult<PromotionBusEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<PromotionBusEvent>> {
    this.close();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PromotionBusEvent> {
    return this;
  }

  private close(): void {
    this.done = true;
    this.page = [];
    const source = this.source;
    this.source = undefined;
    void source?.return?.();
  }

  /** The next event in cursor order, or undefined when a step only changed state. */
  private async take(): Promise<PromotionBusEvent | undefined> {
    const queued = this.page.shift();
    if (queued) return queued;
    if (this.verify) {
      this.verify = false;
      await this.checkHistoryAhead();
      return undefined;
    }
    if (this.fillUntil !== undefined) return this.fillStep();
    this.source ??= this.bus.stream({ after: this.last });
    let result: IteratorResult<PromotionBusEvent>;
    try {
      result = await this.source.next();
    } catch (error) {
      const oldest = error instanceof CursorExpiredError ? error.oldestCursor : null;
      if (oldest === null || this.last === null) throw error;
      // The bus does not reach back to `last`: the history serves up to its oldest event.
      this.source = undefined;
      this.fillUntil = BigInt(oldest);
      return undefined;
    }
    if (result.done) {
      this.done = true;
      return undefined;
    }
    const event = result.value;
    if (this.last === null) return event;
    const expected = succ(this.last);
    const cursor = BigInt(event.cursor);
    if (cursor < expected) return undefined; // a duplicate
    if (cursor === expected) return event;
    // A gap on the bus (e.g. entries lost with a Redis restart): fill it, then take this one.
    this.fillUntil = cursor;
    this.held = event;
    return undefined;
  }

  /** Reads the next history page of the gap; leaves fill mode once the gap is closed. */
  private async fillStep(): Promise<PromotionBusEvent | undefined> {
    const last = this.last!;
    const until = this.fillUntil!;
    if (succ(last) >= until) return this.endFill();
    if (!this.history)
      throw new CursorExpiredError(last, until.toString().padStart(last.length, '0'));
    let page: PromotionBusEvent[];
    try {
      page = await this.history.read(last, this.pageSize, until.toString());
    } catch {
      throw new CursorExpiredError(
        last,
        null,
        'are no longer on the event bus, and the outbox could not be read',
      );
    }
    // The history must continue exactly after `last`, without holes.
    let expected = succ(last);
    for (const event of page) {
      if (BigInt(event.cursor) !== expected) break;
      expected++;
    }
    if (page.length === 0 || expected === succ(last)) {
      throw new CursorExpiredError(last, null, 'are neither on the event bus nor in the outbox');
    }
    this.page = page.slice(0, Number(expected - succ(last)));
    return undefined;
  }

  /** Back to the bus, after the gap: the held event first, else a fresh stream after `last`. */
  private endFill(): PromotionBusEvent | undefined {
    this.fillUntil = undefined;
    const held = this.held;
    this.held = undefined;
    if (held) return held;
    void this.source?.return?.();
    this.source = undefined;
    return undefined;
  }

  /**
   * The bus knows of nothing after `after`: is that so? When the history has newer events
   * (a bus that lost them), they are served from it before the bus.
   */
  private async checkHistoryAhead(): Promise<void> {
    const known = this.bus.latestCursor();
    if (known !== null && BigInt(known) > BigInt(this.last!)) return;
    let newest: string | null;
    try {
      newest = await this.history!.latestCursor();
    } catch {
      return; // unknown: the bus's own checks and the contiguity check still apply
    }
    if (newest !== null && BigInt(newest) > BigInt(this.last!)) {
      this.fillUntil = BigInt(newest) + 1n;
    }
  }
}
