import type { PromotionBusEvent } from './promotion.model.ts';

/**
 * Promotion events in cursor order. This issue wires `InMemoryEventBus` (one process); a later
 * issue adds Redis Streams behind the same interface so every gateway instance sees every event.
 */
export interface EventBus {
  /** Appends committed events (cursors strictly increasing) and notifies live streams. */
  append(events: readonly PromotionBusEvent[]): void;
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
  filter?: (event: PromotionBusEvent) => boolean;
};
