import type { PromotionBusEvent } from '../model/promotion.model.ts';

/**
 * Every committed event, as the store keeps it (the outbox): what a subscription falls back on
 * when the bus no longer holds the events after its cursor. The bus is the fast path; this is
 * the record.
 */
export interface EventHistory {
  /**
   * Up to `limit` events with a cursor greater than `after` and, when given, less than `before`,
   * in cursor order. Rejects when the store cannot be read.
   */
  read(after: string, limit: number, before?: string): Promise<PromotionBusEvent[]>;
  /** The newest committed cursor, or null when there is none. */
  latestCursor(): Promise<string | null>;
}
