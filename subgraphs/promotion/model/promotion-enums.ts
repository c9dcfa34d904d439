import { registerEnumType } from 'type-graphql';

/** Enums owned by the promotion subgraph (SalesChannel and OfferKind are shared, in canonical/). */

export enum PromotionState {
  DRAFT = 'DRAFT',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(PromotionState, { name: 'PromotionState' });

export enum StackingMode {
  STACKABLE = 'STACKABLE',
  EXCLUSIVE_IN_CLASS = 'EXCLUSIVE_IN_CLASS',
  EXCLUSIVE_GLOBAL = 'EXCLUSIVE_GLOBAL',
}
registerEnumType(StackingMode, { name: 'StackingMode' });

export enum DiscountClass {
  PRODUCT = 'PRODUCT',
  ORDER = 'ORDER',
  SHIPPING = 'SHIPPING',
}
registerEnumType(DiscountClass, { name: 'DiscountClass' });

export enum WindowMode {
  ABSOLUTE = 'ABSOLUTE',
  LOCAL_TO_LOCATION = 'LOCAL_TO_LOCATION',
}
registerEnumType(WindowMode, { name: 'WindowMode' });

export enum ChannelIntent {
  LIVE = 'LIVE',
  SUSPENDED = 'SUSPENDED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ChannelIntent, { name: 'ChannelIntent' });

/**
 * How the channels of one promotion go live (issue 13): ALL_OR_NONE (the default) shows it live
 * in no channel, ours or theirs, unless every targeted channel acknowledged; PER_CHANNEL lets
 * each channel go live on its own acknowledgement.
 */
export enum ActivationMode {
  ALL_OR_NONE = 'ALL_OR_NONE',
  PER_CHANNEL = 'PER_CHANNEL',
}
registerEnumType(ActivationMode, {
  name: 'ActivationMode',
  description:
    'ALL_OR_NONE: live in no channel unless every targeted channel acknowledged. PER_CHANNEL: each channel goes live on its own acknowledgement.',
});

export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  FAILED = 'FAILED',
  DEAD_LETTERED = 'DEAD_LETTERED',
}
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });

export enum SuspensionReason {
  STOCK_OUT = 'STOCK_OUT',
  PRICING_ERROR = 'PRICING_ERROR',
  FUNDING_EXHAUSTED = 'FUNDING_EXHAUSTED',
  COMPLIANCE = 'COMPLIANCE',
  VENDOR_REQUEST = 'VENDOR_REQUEST',
  OPERATIONAL = 'OPERATIONAL',
  OTHER = 'OTHER',
}
registerEnumType(SuspensionReason, { name: 'SuspensionReason' });

export enum IneligibilityReason {
  NOT_IN_WINDOW = 'NOT_IN_WINDOW',
  CHANNEL_NOT_ELIGIBLE = 'CHANNEL_NOT_ELIGIBLE',
  LOCATION_NOT_ELIGIBLE = 'LOCATION_NOT_ELIGIBLE',
  SKU_NOT_IN_SCOPE = 'SKU_NOT_IN_SCOPE',
  SKU_EXCLUDED = 'SKU_EXCLUDED',
  SEGMENT_NOT_ELIGIBLE = 'SEGMENT_NOT_ELIGIBLE',
  CODE_REQUIRED = 'CODE_REQUIRED',
  LIMIT_REACHED = 'LIMIT_REACHED',
  SUPERSEDED_BY_EXCLUSIVE = 'SUPERSEDED_BY_EXCLUSIVE',
  PROMOTION_NOT_LIVE = 'PROMOTION_NOT_LIVE',
  /** Held at this location for lack of stock (approved with `acceptStockHolds`), until released. */
  HELD_FOR_STOCK = 'HELD_FOR_STOCK',
}
registerEnumType(IneligibilityReason, { name: 'IneligibilityReason' });

export enum ItemSelection {
  CHEAPEST = 'CHEAPEST',
  MOST_EXPENSIVE = 'MOST_EXPENSIVE',
}
registerEnumType(ItemSelection, { name: 'ItemSelection' });

export enum PromotionEventKind {
  STATE_CHANGED = 'STATE_CHANGED',
  CHANNEL_STATUS_CHANGED = 'CHANNEL_STATUS_CHANGED',
  VERSION_CREATED = 'VERSION_CREATED',
  /** An exception was raised about the promotion (`exception` on the event; exceptions/). */
  EXCEPTION_RAISED = 'EXCEPTION_RAISED',
  /** An exception about the promotion was resolved. */
  EXCEPTION_RESOLVED = 'EXCEPTION_RESOLVED',
}
registerEnumType(PromotionEventKind, { name: 'PromotionEventKind' });

export enum ActorKind {
  USER = 'USER',
  PARTNER = 'PARTNER',
  SYSTEM = 'SYSTEM',
  SCHEDULER = 'SCHEDULER',
}
registerEnumType(ActorKind, { name: 'ActorKind' });
