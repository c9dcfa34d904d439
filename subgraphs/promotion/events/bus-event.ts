import { randomUUID } from 'node:crypto';
import type { EventDraft, PromotionBusEvent, PromotionRecord } from '../model/promotion.model.ts';
import { formatCursor } from '../storage/promotion.repository.ts';

/**
 * A committed event as the bus carries it (contracts/events/promotion-state-changed.v1): the
 * draft, its cursor, a fresh event id, and the promotion's state after the change (the store
 * builds each outbox row with this).
 */
export function busEvent(
  record: PromotionRecord,
  draft: EventDraft,
  cursor: number,
): PromotionBusEvent {
  return {
    specVersion: '1',
    cursor: formatCursor(cursor),
    eventId: randomUUID(),
    ...structuredClone(draft),
    promotionId: record.id,
    promotionVersion: record.version,
    promotionState: record.state,
    channels: [...record.eligibility.channels],
    vendorId: record.vendorId,
  };
}
