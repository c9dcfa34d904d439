import type { OfferKind, SalesChannel } from '../../shared/canonical/enums.ts';
import type {
  ActivationMode,
  ActorKind,
  ChannelIntent,
  DeliveryStatus,
  DiscountClass,
  ItemSelection,
  PromotionEventKind,
  PromotionState,
  StackingMode,
  WindowMode,
} from './promotion-enums.ts';

/**
 * The promotion as stored (plain data, JSON-serialisable). GraphQL object types read these
 * shapes directly; the repository stores them; the channel payload is built from them.
 */

export type MoneyValue = { amount: string; currency: string };

export type BuyXGetYData = {
  buyQuantity: number;
  getQuantity: number;
  getDiscountPercent: string;
  selection: ItemSelection;
  maxApplicationsPerOrder: number | null;
};

export type BundleComponentData = {
  sku: string | null;
  categoryId: string | null;
  quantity: number;
};

export type OfferData = {
  kind: OfferKind;
  percentOff: string | null;
  amountOff: MoneyValue | null;
  fixedPrice: MoneyValue | null;
  buyXGetY: BuyXGetYData | null;
  bundle: { components: BundleComponentData[]; bundlePrice: MoneyValue } | null;
  minimumRequirement: { subtotal: MoneyValue | null; quantity: number | null } | null;
};

/**
 * Qualifying products: explicit SKUs, categories (the ERP's product groups), brands and
 * product-hierarchy nodes; exclusions of each kind win over inclusions (model/scope-terms.ts).
 */
export type ScopeData = {
  skus: string[];
  categoryIds: string[];
  brandIds: string[];
  hierarchyNodeIds: string[];
  excludedSkus: string[];
  excludedCategoryIds: string[];
  excludedBrandIds: string[];
  excludedHierarchyNodeIds: string[];
};

export type EligibilityData = {
  channels: SalesChannel[];
  locationIds: string[];
  regionIds: string[];
  customerSegments: string[];
  requiresCode: boolean;
};

export type WindowData = { startsAt: string; endsAt: string; timeZone: string; mode: WindowMode };

export type StackingData = { mode: StackingMode; discountClass: DiscountClass; priority: number };

export type LimitsData = {
  maxRedemptions: number | null;
  maxRedemptionsPerCustomer: number | null;
  maxPerOrder: number | null;
  budget: MoneyValue | null;
};

export type SkuQuantityData = { sku: string; quantity: string };

/** Everything a draft's author controls (the input of create/update, after normalisation). */
export type PromotionContent = {
  name: string;
  description: string | null;
  customerDisplayName: string | null;
  currency: string;
  vendorId: string | null;
  fundingAgreementId: string | null;
  vendorSharePercent: string | null;
  offer: OfferData;
  scope: ScopeData;
  eligibility: EligibilityData;
  window: WindowData;
  stacking: StackingData;
  limits: LimitsData | null;
  expectedUnits: SkuQuantityData[];
  activationMode: ActivationMode;
};

export type ActorData = { subject: string; kind: ActorKind; vendorId: string | null };

/** The body sent to a channel (contracts/channel/promotion-publication.v1.schema.json). */
export type ChannelPayload = {
  specVersion: '1';
  deliveryId: string;
  idempotencyKey: string;
  promotionId: string;
  version: number;
  intent: ChannelIntent;
  channel: SalesChannel;
  name: string;
  customerDisplayName: string | null;
  window: WindowData;
  offer: Record<string, unknown>;
  scope: ScopeData;
  eligibility: Omit<EligibilityData, 'channels'>;
  /** Locations of the eligibility where it is not live for lack of stock (optional in v1). */
  heldLocationIds?: string[];
  /** The SKUs the scope's terms covered at approval (optional in v1; term scopes only). */
  coveredSkus?: string[];
  stacking: StackingData;
  limits: LimitsData | null;
};

/** Desired intent per channel plus the delivery status of the latest intent (DOMAIN 3.3). */
export type ChannelPublicationRecord = {
  channel: SalesChannel;
  intent: ChannelIntent;
  status: DeliveryStatus;
  /** Promotion version of the latest intent (the one being delivered). */
  targetVersion: number;
  /** Promotion version the channel last acknowledged. */
  publishedVersion: number | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  acknowledgedAt: string | null;
  channelRef: string | null;
  /**
   * The intent the channel last confirmed (the payload intent of its last acknowledged
   * delivery): what the channel shows now, whatever is being delivered.
   */
  acknowledgedIntent: ChannelIntent | null;
  /**
   * ALL_OR_NONE: this delivery tells the channel SUSPENDED on the promotion's behalf (staged
   * before every channel is known to be reachable, or compensating while another is not), while
   * the requested `intent` stays; released with a LIVE delivery once every channel acknowledged.
   */
  held: boolean;
  /** Identifies the current delivery; a newer intent replaces it, and stale outcomes are dropped. */
  deliveryId: string;
  payload: ChannelPayload;
};

export type ReadinessReportData = {
  checkedAt: string;
  passed: boolean;
  overridden: boolean;
  overrideReason: string | null;
  /** The approver accepted the INVENTORY check's holds (absent before: false). */
  stockHoldsAccepted?: boolean;
  checks: unknown[];
};

/** Why an ALL_OR_NONE promotion is not live in any channel although its window says it should be. */
export type ActivationHoldData = {
  since: string;
  reason: string;
  /** The targeted channels that have not confirmed yet. */
  awaiting: SalesChannel[];
};

/**
 * A location where the promotion does not go live for lack of stock (the approver accepted the
 * holds of the INVENTORY check); released when stock arrives. Released holds stay as history.
 */
export type StockHoldData = {
  locationId: string;
  since: string;
  /** The shortfall behind it, in words with the numbers. */
  reason: string;
  releasedAt: string | null;
  releaseReason: string | null;
};

/**
 * A request for stock at a held location (replenishment/): planned at approval (PENDING), then
 * sent to the ERP under `reference` and followed until the goods arrive or it is cancelled.
 */
export type ReplenishmentData = {
  /** Our reference, kept by the ERP: one request per reference, ever. */
  reference: string;
  sku: string;
  locationId: string;
  /** Whole units asked for: the shortfall rounded up. */
  quantity: string;
  /** YYYY-MM-DD: the promotion's first day (or the approval day when it has begun). */
  neededBy: string;
  status: 'PENDING' | 'REQUESTED' | 'ORDERED' | 'RECEIVED' | 'CANCELLED' | 'REFUSED';
  requisitionId: string | null;
  receivedQuantity: string;
  /** Why the ERP refused it (canonical words). */
  refusal: string | null;
  createdAt: string;
  updatedAt: string;
};

export type PromotionRecord = PromotionContent & {
  id: string;
  /** Set while an ALL_OR_NONE promotion in its window is held back in every channel. */
  activationHold: ActivationHoldData | null;
  /** Locations held for stock (active ones have no `releasedAt`). */
  stockHolds: StockHoldData[];
  /** Requests for the stock the held locations lack. */
  replenishments: ReplenishmentData[];
  /**
   * The SKUs a scope of categories, brands or hierarchy nodes covered when it was approved
   * (exclusions applied; null for a scope of SKUs only). Channels get it beside the terms.
   */
  coveredSkus: string[] | null;
  /** Insertion order, used for stable list ordering and cursors. */
  seq: number;
  version: number;
  state: PromotionState;
  channels: ChannelPublicationRecord[];
  approvalReadiness: ReadinessReportData | null;
  externalRefs: { system: string; id: string }[];
  createdAt: string;
  updatedAt: string;
};

export type AuditDraft = {
  at: string;
  actor: ActorData;
  action: string;
  fromState: PromotionState | null;
  toState: PromotionState | null;
  reason: string | null;
  version: number;
  channel: SalesChannel | null;
};

export type AuditRecord = AuditDraft & { seq: number; promotionId: string };

/** What a command asks to be emitted; the repository completes it when it commits. */
export type EventDraft = {
  kind: PromotionEventKind;
  occurredAt: string;
  fromState: PromotionState | null;
  toState: PromotionState | null;
  channel: SalesChannel | null;
  channelIntent: ChannelIntent | null;
  channelStatus: DeliveryStatus | null;
  actor: ActorData;
  reason: string | null;
  /** EXCEPTION_RAISED / EXCEPTION_RESOLVED: the exception (exceptions/). */
  exceptionId?: string;
};

/** The bus event (contracts/events/promotion-state-changed.v1.schema.json). */
export type PromotionBusEvent = EventDraft & {
  specVersion: '1';
  cursor: string;
  eventId: string;
  promotionId: string;
  promotionVersion: number;
  /** The promotion's state once the event happened (equals toState for STATE_CHANGED). */
  promotionState: PromotionState;
  /** The promotion's eligibility channels (lets consumers filter by channel). */
  channels: SalesChannel[];
  vendorId: string | null;
};
