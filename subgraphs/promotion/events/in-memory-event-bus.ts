import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { CursorExpiredError } from './cursor-expired.ts';
import type { EventBus, EventStreamOptions } from './event-bus.ts';

export type InMemoryEventBusOptions = {
  /** Events kept for `after` replay. Default 10 000. */
  retain?: number;
};

type Waiter = (result: IteratorResult<PromotionBusEvent>) => void;

/**
 * In-process bus: a bounded replay log plus live listeners. A stream `after` a cursor older than
 * the log reaches back to (cursors are contiguous) fails with CursorExpiredError on its first
 * `next()` (the outbox replay then serves it: history-event-bus.ts).
 */
export class InMemoryEventBus implements EventBus {
  private readonly log: PromotionBusEvent[] = [];
  private readonly listeners = new Set<(event: PromotionBusEvent) => void>();
  private readonly retain: number;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.retain = options.retain ?? 10_000;
  }

  /** Synchronous inside (listeners see the events before it returns); async per the interface. */
  async append(events: readonly PromotionBusEvent[]): Promise<void> {
    for (const event of events) {
      const last = this.log.at(-1);
      if (last && event.cursor <= last.cursor) {
        throw new Error(`event cursor ${event.cursor} is not after ${last.cursor}`);
      }
      this.log.push(event);
      if (this.log.length > this.retain) this.log.shift();
      for (const listener of this.listeners) listener(event);
    }
  }

  latestCursor(): string | null {
    return this.log.at(-1)?.cursor ?? null;
  }

  stream(options: EventStreamOptions = {}): AsyncIterableIterator<PromotionBusEvent> {
    const filter = options.filter ?? (() => true);
    const queue: PromotionBusEvent[] = [];
    const after = options.fromNow ? this.latestCursor() : (options.after ?? null);
    const oldest = this.log[0]?.cursor;
    let expired: CursorExpiredError | undefined;
    if (after !== null && oldest !== undefined && BigInt(oldest) > BigInt(after) + 1n) {
      expired = new CursorExpiredError(after, oldest);
    }
    const waiters: Waiter[] = [];
    let done = false;
    const push = (event: PromotionBusEvent) => {
      if (done || !filter(event)) return;
      const waiter = waiters.shift();
      if (waiter) waiter({ value: event, done: false });
      else queue.push(event);
    };
    // Replay and subscribe in one synchronous step: nothing can be appended in between.
    for (const event of this.log) if (after === null || event.cursor > after) push(event);
    this.listeners.add(push);
    const finish = (): IteratorResult<PromotionBusEvent> => {
      done = true;
      this.listeners.delete(push);
      queue.length = 0;
      for (const waiter of waiters.splice(0)) waiter({ value: undefined, done: true });
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<PromotionBusEvent> = {
      next: () => {
        if (expired) {
          const error = expired;
          expired = undefined;
          finish();
          return Promise.reject(error);
        }
        const event = queue.shift();
        if (event) return Promise.resolve({ value: event, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => waiters.push(resolve));
      },
      return: () => Promise.resolve(finish()),
      throw: (error?: unknown) => {
        finish();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
