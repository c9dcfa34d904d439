// The shapes the page's documents select (contracts/trusted-documents/tower-*.graphql and
// ./operations/*.graphql), written by hand: keep them in step with those documents.

export type SalesChannel = 'ECOMMERCE' | 'MOBILE' | 'POS' | 'MARKETPLACE' | 'LOYALTY';
export type PromotionState =
  | 'DRAFT'
  | 'PENDING_APPROVAL'
  | 'APPROVED'
  | 'REJECTED'
  | 'SCHEDULED'
  | 'ACTIVE'
  | 'SUSPENDED'
  | 'ENDED'
  | 'CANCELLED';
export type ChannelIntent = 'LIVE' | 'SUSPENDED' | 'WITHDRAWN';
export type DeliveryStatus = 'PENDING' | 'SENT' | 'ACKNOWLEDGED' | 'FAILED' | 'DEAD_LETTERED';
export type EventKind =
  | 'STATE_CHANGED'
  | 'CHANNEL_STATUS_CHANGED'
  | 'VERSION_CREATED'
  | 'EXCEPTION_RAISED'
  | 'EXCEPTION_RESOLVED';
export type ExceptionKind =
  | 'ACTIVATION_HELD'
  | 'DEAD_LETTER'
  | 'OVERDUE_DELIVERY'
  | 'FAILED_READINESS'
  | 'FUNDING_CAP_NEAR'
  | 'FUNDING_CAP_EXCEEDED'
  | 'STOCK_HELD'
  | 'RECONCILIATION_MISMATCH';
export type ExceptionSeverity = 'WARNING' | 'CRITICAL';

/** The lists of the schema's enums the page shows (in the schema's order). */
export const SALES_CHANNELS: readonly SalesChannel[] = [
  'ECOMMERCE',
  'MOBILE',
  'POS',
  'MARKETPLACE',
  'LOYALTY',
];
export const PROMOTION_STATES: readonly PromotionState[] = [
  'DRAFT',
  'PENDING_APPROVAL',
  'APPROVED',
  'REJECTED',
  'SCHEDULED',
  'ACTIVE',
  'SUSPENDED',
  'ENDED',
  'CANCELLED',
];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'PENDING',
  'SENT',
  'ACKNOWLEDGED',
  'FAILED',
  'DEAD_LETTERED',
];
export const SUSPENSION_REASONS = [
  'STOCK_OUT',
  'PRICING_ERROR',
  'FUNDING_EXHAUSTED',
  'COMPLIANCE',
  'VENDOR_REQUEST',
  'OPERATIONAL',
  'OTHER',
] as const;

export type Money = { amount: string; currency: string };

export type ChannelPublication = {
  channel: SalesChannel;
  intent: ChannelIntent;
  status: DeliveryStatus;
  publishedVersion: number | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  /** What the channel last confirmed it shows. */
  acknowledgedIntent: ChannelIntent | null;
  /** ALL_OR_NONE: told SUSPENDED on the promotion's behalf until every channel acknowledged. */
  held: boolean;
  channelRef?: string | null;
};

export type PublicationSummary = {
  total: number;
  acknowledged: number;
  pending: number;
  failed: number;
  deadLettered: number;
  isFullyPublished: boolean;
};

/** fragment TowerPromotionRow */
/** promotionCounts: every promotion a filter matches, by state and by channel publication. */
export type PromotionCounts = {
  total: number;
  byState: { state: PromotionState; count: number }[];
  byChannel: {
    channel: SalesChannel;
    intent: ChannelIntent | null;
    status: DeliveryStatus | null;
    count: number;
  }[];
};

export type PromotionRow = {
  id: string;
  version: number;
  state: PromotionState;
  /** The channels it is live in now, by the API's rules (state, window, activation mode). */
  liveChannels: SalesChannel[];
  name: string;
  updatedAt: string;
  vendor: { id: string } | null;
  window: { startsAt: string; endsAt: string; timeZone: string };
  eligibility: { channels: SalesChannel[]; regionIds: string[] };
  scope: { categoryIds: string[] };
  channels: ChannelPublication[];
  publicationSummary: PublicationSummary;
};

export type ReadinessFinding = {
  code: string;
  sku: string | null;
  locationId: string | null;
  message: string;
};
export type ReadinessCheck = {
  area: 'PRICING' | 'INVENTORY' | 'FUNDING';
  passed: boolean;
  summary: string;
  findings: ReadinessFinding[];
};
export type ReadinessReport = {
  checkedAt: string;
  passed: boolean;
  overridden: boolean;
  overrideReason: string | null;
  checks: ReadinessCheck[];
};

/** query TowerPromotion */
export type PromotionDetail = {
  id: string;
  version: number;
  state: PromotionState;
  liveChannels: SalesChannel[];
  name: string;
  description: string | null;
  currency: string;
  createdAt: string;
  updatedAt: string;
  vendor: { id: string } | null;
  offer: {
    kind: string;
    percentOff: string | null;
    amountOff: Money | null;
    fixedPrice: Money | null;
  };
  scope: { skus: string[]; categoryIds: string[]; excludedSkus: string[] };
  eligibility: {
    channels: SalesChannel[];
    locationIds: string[];
    regionIds: string[];
    customerSegments: string[];
  };
  window: { startsAt: string; endsAt: string; timeZone: string };
  channels: ChannelPublication[];
  publicationSummary: PublicationSummary;
  approvalReadiness: ReadinessReport | null;
  activationMode: 'ALL_OR_NONE' | 'PER_CHANNEL';
  activationHold: ActivationHold | null;
};

export type ActivationHold = { since: string; reason: string; awaitingChannels: SalesChannel[] };

/** fragment TowerException (with its promotion in query TowerExceptions) */
export type PromotionException = {
  id: string;
  kind: ExceptionKind;
  severity: ExceptionSeverity;
  promotionId: string;
  channel: SalesChannel | null;
  since: string;
  detail: string;
  raisedAt: string;
  resolvedAt: string | null;
  promotion?: { id: string; name: string; state: PromotionState } | null;
};

export type PriceImpact = {
  check: ReadinessCheck;
  perSku: {
    sku: string;
    regularPrice: Money;
    promotionalPrice: Money;
    marginAtPromoPercent: string | null;
    breachesFloor: boolean;
  }[];
  expectedDiscountCost: Money;
};

export type Shortfall = {
  sku: string;
  locationId: string;
  availableToPromise: string;
  expectedDemand: string;
  shortBy: string;
};
export type StockReadiness = {
  check: ReadinessCheck;
  shortfalls: Shortfall[];
  locationsCovered: number;
  locationsShort: number;
};

export type FundingCheck = {
  check: ReadinessCheck;
  agreement: { id: string; status: string; cap: Money | null } | null;
  expectedVendorCost: Money | null;
  remainingAfter: Money | null;
  violations: string[];
};

export type Actor = { subject: string; kind: string; vendorId: string | null };

export type AuditEntry = {
  at: string;
  actor: Actor;
  action: string;
  fromState: PromotionState | null;
  toState: PromotionState | null;
  reason: string | null;
  version: number;
  channel: SalesChannel | null;
};

/** subscription TowerPromotionEvents */
export type PromotionEvent = {
  cursor: string;
  kind: EventKind;
  occurredAt: string;
  promotionVersion: number;
  fromState: PromotionState | null;
  toState: PromotionState | null;
  channel: SalesChannel | null;
  channelIntent: ChannelIntent | null;
  channelStatus: DeliveryStatus | null;
  actor: Actor;
  reason: string | null;
  /** EXCEPTION_RAISED / EXCEPTION_RESOLVED: the exception as it is now. */
  exception: PromotionException | null;
  promotion: PromotionRow;
};

/** PromotionFilter, as far as the page sets it. */
export type PromotionFilter = {
  states?: PromotionState[];
  channels?: SalesChannel[];
  vendorId?: string;
  text?: string;
  /** Product category (Product.category), matched by the API through the product master. */
  categoryId?: string;
  /** Location.regionId: promotions eligible in a store of the region. */
  regionId?: string;
};
