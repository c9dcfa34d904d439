import { busEvent } from './bus-event.ts';
import { SALES_CHANNELS, type SalesChannel } from '../shared/canonical/enums.ts';
import { matchesFilter, PUBLISHED_STATES } from './eligibility.ts';
import { PromotionState } from './promotion-enums.ts';
import type {
  AuditDraft,
  AuditRecord,
  ChannelPublicationRecord,
  EventDraft,
  PromotionBusEvent,
  PromotionRecord,
} from './promotion.model.ts';
import {
  formatCursor,
  IdempotencyKeyTakenError,
  VersionConflictError,
  type CommitResult,
  type DeliveryUpdate,
  type IdempotencyRecord,
  type PromotionChange,
  type PromotionListQuery,
  type PromotionRepository,
} from './promotion.repository.ts';

export type InMemoryPromotionRepositoryOptions = {
  /**
   * Receives committed events in cursor order (the in-process outbox relay), called
   * synchronously at the end of the commit, which then awaits it: the change stays committed
   * even when it rejects (this store has no outbox to retry from), and the caller sees the error.
   */
  onEvents?: (events: PromotionBusEvent[]) => void | Promise<void>;
};

const channelOrder = (a: { channel: SalesChannel }, b: { channel: SalesChannel }) =>
  SALES_CHANNELS.indexOf(a.channel) - SALES_CHANNELS.indexOf(b.channel);

/**
 * Single-process twin of the PostgreSQL repository. Each `commit` runs without awaiting, so it
 * is atomic with respect to every other call. Stored records are treated as immutable: every
 * write stores new objects, reads hand out the stored ones (callers must not mutate them).
 */
export class InMemoryPromotionRepository implements PromotionRepository {
  private readonly records = new Map<string, PromotionRecord>();
  private readonly order: string[] = [];
  private readonly versions = new Map<string, Map<number, PromotionRecord>>();
  private readonly audit = new Map<string, AuditRecord[]>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly skuIndex = new Map<string, Set<string>>();
  private readonly published = new Set<string>();
  private seq = 0;
  private auditSeq = 0;
  private eventSeq = 0;
  onEvents: ((events: PromotionBusEvent[]) => void | Promise<void>) | undefined;

  constructor(options: InMemoryPromotionRepositoryOptions = {}) {
    this.onEvents = options.onEvents;
  }

  async get(id: string): Promise<PromotionRecord | undefined> {
    return this.records.get(id);
  }

  async getMany(ids: readonly string[]): Promise<Array<PromotionRecord | undefined>> {
    return ids.map((id) => this.records.get(id));
  }

  async getVersion(id: string, version: number): Promise<PromotionRecord | undefined> {
    return this.versions.get(id)?.get(version);
  }

  async list(query: PromotionListQuery) {
    const items: PromotionRecord[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) {
      const record = this.records.get(this.order[i]!)!;
      if (query.afterSeq !== undefined && record.seq >= query.afterSeq) continue;
      if (!matchesFilter(record, query.filter)) continue;
      items.push(record);
      if (items.length > query.first) break;
    }
    const hasNextPage = items.length > query.first;
    return { items: items.slice(0, query.first), hasNextPage };
  }

  async findPublishedBySkus(skus: readonly string[]): Promise<Map<string, PromotionRecord[]>> {
    const out = new Map<string, PromotionRecord[]>();
    for (const sku of skus) {
      const ids = this.skuIndex.get(sku);
      out.set(sku, ids ? [...ids].map((id) => this.records.get(id)!) : []);
    }
    return out;
  }

  async listDueForClock(now: Date): Promise<PromotionRecord[]> {
    const t = now.getTime();
    return [...this.published]
      .map((id) => this.records.get(id)!)
      .filter(
        (p) =>
          (p.state === PromotionState.SCHEDULED && Date.parse(p.window.startsAt) <= t) ||
          Date.parse(p.window.endsAt) <= t,
      )
      .sort((a, b) => a.seq - b.seq);
  }

  async commit(change: PromotionChange): Promise<CommitResult> {
    const id = change.record.id;
    const current = this.records.get(id);
    const { expected } = change;
    const matches = expected
      ? current?.version === expected.version && current.state === expected.state
      : current === undefined;
    if (!matches) throw new VersionConflictError(id, current?.version ?? 0);
    const idemKey =
      change.idempotency && `${change.idempotency.scope}\u0000${change.idempotency.key}`;
    if (idemKey && this.idempotency.has(idemKey)) {
      throw new IdempotencyKeyTakenError(this.idempotency.get(idemKey)!);
    }
    const publications = new Map((current?.channels ?? []).map((c) => [c.channel, c]));
    for (const p of change.publications) publications.set(p.channel, structuredClone(p));
    const record: PromotionRecord = {
      ...structuredClone({ ...change.record, channels: [] }),
      seq: current?.seq ?? ++this.seq,
      channels: [...publications.values()].sort(channelOrder),
    };
    if (!current) this.order.push(id);
    this.store(current, record);
    let versions = this.versions.get(id);
    if (!versions) this.versions.set(id, (versions = new Map()));
    versions.set(record.version, record);
    this.appendAudit(id, change.audit);
    const events = this.completeEvents(record, change.events);
    if (idemKey && change.idempotency) {
      this.idempotency.set(idemKey, {
        ...change.idempotency,
        promotionId: id,
        version: record.version,
        eventCursor: events[0]?.cursor ?? formatCursor(this.eventSeq),
      });
    }
    await this.onEvents?.(events);
    return { record, events };
  }

  async updateDelivery(update: DeliveryUpdate): Promise<CommitResult | undefined> {
    const current = this.records.get(update.promotionId);
    const publication = current?.channels.find((c) => c.channel === update.channel);
    if (!current || !publication || publication.deliveryId !== update.deliveryId) return undefined;
    const next: ChannelPublicationRecord = { ...publication, ...structuredClone(update.patch) };
    const record: PromotionRecord = {
      ...current,
      channels: current.channels.map((c) => (c.channel === update.channel ? next : c)),
    };
    this.store(current, record);
    this.appendAudit(record.id, update.audit);
    const events = this.completeEvents(record, update.events);
    await this.onEvents?.(events);
    return { record, events };
  }

  async listAudit(id: string, first: number, afterSeq?: number) {
    const all = (this.audit.get(id) ?? []).filter(
      (e) => afterSeq === undefined || e.seq > afterSeq,
    );
    return { entries: all.slice(0, first), hasNextPage: all.length > first };
  }

  async getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.idempotency.get(`${scope}\u0000${key}`);
  }

  private store(previous: PromotionRecord | undefined, record: PromotionRecord): void {
    if (previous) {
      for (const sku of [...previous.scope.skus, ...previous.scope.excludedSkus]) {
        this.skuIndex.get(sku)?.delete(previous.id);
      }
    }
    this.records.set(record.id, record);
    if (PUBLISHED_STATES.includes(record.state)) {
      this.published.add(record.id);
      for (const sku of [...record.scope.skus, ...record.scope.excludedSkus]) {
        let ids = this.skuIndex.get(sku);
        if (!ids) this.skuIndex.set(sku, (ids = new Set()));
        ids.add(record.id);
      }
    } else {
      this.published.delete(record.id);
    }
  }

  private appendAudit(promotionId: string, drafts: AuditDraft[]): void {
    if (!drafts.length) return;
    let entries = this.audit.get(promotionId);
    if (!entries) this.audit.set(promotionId, (entries = []));
    for (const draft of drafts) {
      entries.push({ ...structuredClone(draft), seq: ++this.auditSeq, promotionId });
    }
  }

  private completeEvents(record: PromotionRecord, drafts: EventDraft[]): PromotionBusEvent[] {
    return drafts.map((draft) => busEvent(record, draft, ++this.eventSeq));
  }
}
