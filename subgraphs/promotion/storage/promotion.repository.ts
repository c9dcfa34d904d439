import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { ChannelIntent, DeliveryStatus, PromotionState } from '../model/promotion-enums.ts';
import type {
  AuditDraft,
  AuditRecord,
  ChannelPublicationRecord,
  EventDraft,
  PromotionBusEvent,
  PromotionRecord,
} from '../model/promotion.model.ts';

/**
 * Where promotions live: `PostgresPromotionRepository` on PostgreSQL or embedded PGlite, one
 * transaction per `commit` (record + version snapshot + audit + publications + idempotency key +
 * outbox rows), with a relay that forwards the outbox, in cursor order, to the event bus
 * (promotion-storage.ts).
 */
export interface PromotionRepository {
  get(id: string): Promise<PromotionRecord | undefined>;
  getMany(ids: readonly string[]): Promise<Array<PromotionRecord | undefined>>;
  /** The record as it was right after `version` was committed. */
  getVersion(id: string, version: number): Promise<PromotionRecord | undefined>;
  /** Newest first; `afterSeq` continues after that record. */
  list(query: PromotionListQuery): Promise<{ items: PromotionRecord[]; hasNextPage: boolean }>;
  /**
   * Every published promotion (PUBLISHED_STATES), oldest seq first, and the outbox cursor read
   * before them: a change after it is in `changedSince(cursor)`.
   */
  listPublished(): Promise<{ cursor: number; records: PromotionRecord[] }>;
  /**
   * The promotions with an event after `cursor`, up to the newest cursor (returned). Every
   * commit writes at least one event, in commit order, so nothing changes unseen.
   */
  changedSince(cursor: number): Promise<{ cursor: number; ids: string[] }>;
  /** How many match `filter`: in all, by state, and by channel targeted and its publication. */
  count(filter: PromotionListFilter): Promise<PromotionCounts>;
  /**
   * Published promotions (SCHEDULED, ACTIVE, SUSPENDED) whose explicit scope includes or
   * excludes each SKU: an index lookup, not a scan.
   */
  findPublishedBySkus(skus: readonly string[]): Promise<Map<string, PromotionRecord[]>>;
  /**
   * Published promotions whose scope includes each category, brand or hierarchy-node term
   * (model/scope-terms.ts): an index lookup, not a scan.
   */
  findPublishedByTerms(terms: readonly string[]): Promise<Map<string, PromotionRecord[]>>;
  /** Whether any published promotion's scope reaches beyond explicit SKUs. */
  hasPublishedTermScopes(): Promise<boolean>;
  /** Published promotions whose window boundary (start or end) is at or before `now`. */
  listDueForClock(now: Date): Promise<PromotionRecord[]>;
  /**
   * Ids of the promotions the activation monitor must look at (activation/): ALL_OR_NONE
   * promotions with a targeted channel not confirmed live, and any promotion with a hold set.
   */
  listActivationCandidates(limit: number): Promise<string[]>;
  /**
   * Atomically: checks the expected version/state (VersionConflictError) and the idempotency
   * key (IdempotencyKeyTakenError), stores the record, its version snapshot, the changed
   * publications, the audit entries and the events, then hands the events to the bus.
   */
  commit(change: PromotionChange): Promise<CommitResult>;
  /**
   * Updates one publication's delivery status if `deliveryId` is still its current delivery
   * (compare-and-set, so a superseded delivery never overwrites a newer intent). Does not bump
   * the promotion version. Undefined when superseded or missing.
   */
  updateDelivery(update: DeliveryUpdate): Promise<CommitResult | undefined>;
  listAudit(
    id: string,
    first: number,
    afterSeq?: number,
  ): Promise<{ entries: AuditRecord[]; hasNextPage: boolean }>;
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
}

export type PromotionListFilter = {
  states?: readonly PromotionState[] | null;
  channels?: readonly SalesChannel[] | null;
  vendorId?: string | null;
  sku?: string | null;
  liveAt?: string | null;
  text?: string | null;
  /**
   * In a category: its scope names the category, or a SKU of its explicit scope is one of
   * `skus` (the category's SKUs, read from the product master by the caller).
   */
  category?: { id: string; skus: readonly string[] } | null;
  /**
   * In a region: its eligibility names the region, or one of `locationIds` (the region's
   * stores), or restricts neither stores nor regions (valid everywhere).
   */
  region?: { id: string; locationIds: readonly string[] } | null;
};

export type PromotionCounts = {
  total: number;
  /** States with at least one promotion, in PromotionState order. */
  byState: { state: PromotionState; count: number }[];
  /**
   * Per channel a matching promotion targets (its eligibility): where its publication stands,
   * `intent` and `status` null while it was not published there. Non-zero groups only.
   */
  byChannel: {
    channel: SalesChannel;
    intent: ChannelIntent | null;
    status: DeliveryStatus | null;
    count: number;
  }[];
};

export type PromotionListQuery = { filter: PromotionListFilter; first: number; afterSeq?: number };

export type PromotionChange = {
  /** The new record; its `channels` are ignored (see `publications`). */
  record: PromotionRecord;
  /** null when creating. */
  expected: { version: number; state: PromotionState } | null;
  /** Publications that changed (upserted by channel); others keep their stored delivery state. */
  publications: ChannelPublicationRecord[];
  audit: AuditDraft[];
  events: EventDraft[];
  idempotency?: { scope: string; key: string; fingerprint: string };
};

export type CommitResult = { record: PromotionRecord; events: PromotionBusEvent[] };

export type DeliveryUpdate = {
  promotionId: string;
  channel: SalesChannel;
  deliveryId: string;
  patch: Partial<Omit<ChannelPublicationRecord, 'channel' | 'deliveryId'>>;
  events: EventDraft[];
  audit: AuditDraft[];
};

export type IdempotencyRecord = {
  scope: string;
  key: string;
  fingerprint: string;
  promotionId: string;
  version: number;
  eventCursor: string;
};

export class VersionConflictError extends Error {
  constructor(
    readonly promotionId: string,
    readonly currentVersion: number,
  ) {
    super(`Promotion ${promotionId} changed concurrently (now version ${currentVersion})`);
    this.name = 'VersionConflictError';
  }
}

export class IdempotencyKeyTakenError extends Error {
  constructor(readonly record: IdempotencyRecord) {
    super(`Idempotency key ${record.key} is already used`);
    this.name = 'IdempotencyKeyTakenError';
  }
}

/** Cursors are zero-padded so that string order is numeric order. */
export const CURSOR_DIGITS = 18;
export const formatCursor = (n: number): string => String(n).padStart(CURSOR_DIGITS, '0');
export const isCursor = (value: string): boolean => /^\d{1,18}$/.test(value);
