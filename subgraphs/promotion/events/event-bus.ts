import type { PromotionBusEvent } from '../model/promotion.model.ts';

/**
 * Promotion events in cursor order. `InMemoryEventBus` serves one process; `RedisEventBus`
 * (Redis Streams) lets every instance see every event.
 */
export interface EventBus {
  /**
   * Appends committed events (cursors strictly increasing) and notifies live streams. Rejects
   * when the bus cannot take them (e.g. Redis down); events already on the bus are skipped.
   */
  append(events: readonly PromotionBusEvent[]): Promise<void>;
  /**
   * Every retained event with a cursor greater than `after` (all retained when absent), in order,
   * then live ones, without gaps or duplicates. `return()` ends the stream at once.
   */
  stream(options?: EventStreamOptions): AsyncIterableIterator<PromotionBusEvent>;
  /** Cursor of the newest event, or null when there is none. */
  latestCursor(): string | null;
}

export type EventStreamOptions = {
  after?: string | null;
  /**
   * Start after the newest event on the bus as this process knows it (ignores `after`): live
   * events only. An event committed a moment ago that the outbox relay has not yet forwarded
   * still arrives.
   * `CursorExpiredError` is how a stream says it cannot serve from `after` (it ends with it).
   */
  fromNow?: boolean;
  filter?: (event: PromotionBusEvent) => boolean;
};
