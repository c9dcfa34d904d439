import type { PromotionBusEvent } from '../model/promotion.model.ts';

export type RedisEventSubscriptionOptions = {
  /** Exclusive start: the cursor the subscriber has already seen, or null for all retained. */
  after: string | null;
  filter: (event: PromotionBusEvent) => boolean;
  /** Events per catch-up page (a shorter page means the end of the stream was reached). */
  pageSize: number;
  /** Queued events beyond which a subscriber that does not keep up goes back to catch-up reads. */
  maxQueued: number;
  /** Reads up to `pageSize` events after `after` (retrying connection failures until `signal`). */
  fetchPage: (after: string | null, signal: AbortSignal) => Promise<PromotionBusEvent[]>;
  /** Registers / unregisters the live listener with the shared reader. */
  listen: (listener: (event: PromotionBusEvent) => void) => void;
  unlisten: (listener: (event: PromotionBusEvent) => void) => void;
  /** Called once when the subscription ends (returned, failed or closed by the bus). */
  onEnd: () => void;
};

type Waiter = {
  resolve: (result: IteratorResult<PromotionBusEvent>) => void;
  reject: (error: unknown) => void;
};

const newer = (cursor: string, than: string | null) => than === null || cursor > than;

/**
 * One `stream()` of the Redis bus. It listens to the shared reader first, then catches up with
 * XRANGE pages from its cursor; live events arriving meanwhile are buffered, and once a short page
 * shows the stream's end was reached the buffer is merged by cursor (dropping what the pages
 * already gave). Everything the reader dispatches after the listener was added is newer than what
 * the reader had read before, and that was already in Redis when the pages were read: no gap, and
 * comparing cursors removes duplicates. A subscriber that lets more than `maxQueued` events pile
 * up drops them and catches up from Redis again, so memory per subscriber stays bounded.
 */
export class RedisEventSubscription implements AsyncIterableIterator<PromotionBusEvent> {
  /** Cursor of the last event handed to the consumer (catch-up restarts from here). */
  private delivered: string | null;
  /** Cursor of the last event queued or filtered out (duplicates are at or before it). */
  private seen: string | null;
  private mode: 'catchup' | 'live' = 'catchup';
  private ready: PromotionBusEvent[] = [];
  /** Live events received while catching up. */
  private buffer: PromotionBusEvent[] = [];
  /** Bumped when the buffer is dropped: a catch-up page read before that does not suffice. */
  private epoch = 0;
  private readonly waiters: Waiter[] = [];
  private failure: { error: unknown } | undefined;
  private done = false;
  private wantMore: (() => void) | undefined;
  private readonly aborter = new AbortController();

  constructor(private readonly options: RedisEventSubscriptionOptions) {
    this.delivered = options.after;
    this.seen = options.after;
    options.listen(this.onLive);
    void this.catchUp();
  }

  next(): Promise<IteratorResult<PromotionBusEvent>> {
    const event = this.ready.shift();
    if (event) {
      this.delivered = event.cursor;
      if (!this.ready.length) this.wakeCatchUp();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    this.wakeCatchUp();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<PromotionBusEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<PromotionBusEvent>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PromotionBusEvent> {
    return this;
  }

  /** Ends the stream: pending and later `next()` calls resolve done. */
  end(): void {
    if (this.done) return;
    this.stop();
    this.ready = [];
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  /** Ends the stream with `error`: queued events first, then `next()` rejects once. */
  private fail(error: unknown): void {
    if (this.done) return;
    this.stop();
    const waiter = this.waiters.shift();
    if (waiter) waiter.reject(error);
    else this.failure = { error };
    for (const rest of this.waiters.splice(0)) rest.resolve({ value: undefined, done: true });
  }

  private stop(): void {
    this.done = true;
    this.buffer = [];
    this.options.unlisten(this.onLive);
    this.aborter.abort();
    this.wakeCatchUp();
    this.options.onEnd();
  }

  private readonly onLive = (event: PromotionBusEvent): void => {
    if (this.done || !this.options.filter(event)) return;
    if (this.mode === 'catchup') {
      this.buffer.push(event);
      if (this.buffer.length > this.options.maxQueued) {
        this.buffer = [];
        this.epoch++;
      }
      return;
    }
    if (!newer(event.cursor, this.seen)) return;
    this.seen = event.cursor;
    this.enqueue(event);
    if (this.ready.length > this.options.maxQueued) this.fallBehind();
  };

  private enqueue(event: PromotionBusEvent): void {
    const waiter = this.waiters.shift();
    if (!waiter) {
      this.ready.push(event);
      return;
    }
    this.delivered = event.cursor;
    waiter.resolve({ value: event, done: false });
  }

  /** Too many queued events: drop them and read them again from Redis when the consumer asks. */
  private fallBehind(): void {
    this.ready = [];
    this.seen = this.delivered;
    this.mode = 'catchup';
    this.buffer = [];
    this.epoch++;
    void this.catchUp();
  }

  private wakeCatchUp(): void {
    const wake = this.wantMore;
    this.wantMore = undefined;
    wake?.();
  }

  private async catchUp(): Promise<void> {
    const { fetchPage, filter, pageSize } = this.options;
    try {
      while (!this.done) {
        // Read the next page only once the consumer has taken what is queued (back-pressure).
        if (this.ready.length) await new Promise<void>((wake) => (this.wantMore = wake));
        if (this.done) return;
        const epoch = this.epoch;
        const page = await fetchPage(this.seen, this.aborter.signal);
        if (this.done) return;
        for (const event of page) {
          if (!newer(event.cursor, this.seen)) continue;
          this.seen = event.cursor;
          if (filter(event)) this.enqueue(event);
        }
        if (page.length < pageSize && epoch === this.epoch) {
          for (const event of this.buffer.splice(0)) {
            if (!newer(event.cursor, this.seen)) continue;
            this.seen = event.cursor;
            this.enqueue(event);
          }
          this.mode = 'live';
          return;
        }
      }
    } catch (error) {
      this.fail(error);
    }
  }
}
