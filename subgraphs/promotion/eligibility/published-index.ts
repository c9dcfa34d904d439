import type { PromotionRecord } from '../model/promotion.model.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import { PUBLISHED_STATES } from './eligibility.ts';

/** What eligibility reads: the published promotions naming each SKU (scope or exclusion). */
export type PublishedSource = Pick<PromotionRepository, 'findPublishedBySkus'>;

export type PublishedIndexOptions = {
  repository: Pick<
    PromotionRepository,
    'findPublishedBySkus' | 'listPublished' | 'changedSince' | 'getMany'
  >;
  /** How often other instances' commits are looked for (the outbox cursor). Default 250 ms. */
  pollMs?: number;
  /**
   * Longest the index may go without a successful catch-up before it is not trusted: reads then
   * go to the database (which answers, or fails with its own error). Default 5000 ms.
   */
  maxStalenessMs?: number;
  clock?: () => number;
  /** Where a failed catch-up is reported (it is retried at the next poll). */
  onError?: (error: unknown) => void;
};

/**
 * The published promotions in memory, indexed by SKU, so eligibility reads no database row on
 * its hot path. Kept current from the outbox, which holds every change in commit order: a poll
 * of the newest cursor (every `pollMs`) reloads the promotions with events since the last one,
 * from any instance; this instance's own commits (`notify`, from the repository's onEvents) are
 * caught up before the next read, so a caller reads its own writes. It fails closed: when the
 * catch-up a read waits for fails, or none has succeeded for `maxStalenessMs`, reads go to the
 * database instead of serving what may be stale.
 */
export class PublishedIndex implements PublishedSource {
  private readonly records = new Map<string, PromotionRecord>();
  private readonly bySku = new Map<string, Set<string>>();
  private cursor = 0;
  private syncedAt = -Infinity;
  private pending = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: PublishedIndexOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Loads every published promotion, then polls. */
  async start(): Promise<void> {
    const { cursor, records } = await this.options.repository.listPublished();
    for (const record of records) this.put(record);
    this.cursor = cursor;
    this.syncedAt = this.clock();
    const pollMs = this.options.pollMs ?? 250;
    if (pollMs > 0) {
      this.timer = setInterval(() => void this.catchUp().catch(() => undefined), pollMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** This instance committed: the next read waits for the index to include it. */
  notify(): void {
    this.pending = true;
  }

  /** How many promotions it holds (metrics, tests). */
  get size(): number {
    return this.records.size;
  }

  async findPublishedBySkus(skus: readonly string[]): Promise<Map<string, PromotionRecord[]>> {
    // Own commits first (read your writes); a poll in flight is not waited for.
    if (this.pending) await this.catchUp().catch(() => undefined);
    const maxStaleness = this.options.maxStalenessMs ?? 5000;
    if (this.pending || this.clock() - this.syncedAt > maxStaleness) {
      return this.options.repository.findPublishedBySkus(skus);
    }
    const out = new Map<string, PromotionRecord[]>();
    for (const sku of skus) {
      const ids = this.bySku.get(sku);
      const found = ids ? [...ids].map((id) => this.records.get(id)!) : [];
      out.set(
        sku,
        found.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)),
      );
    }
    return out;
  }

  /** Reloads what changed since the last catch-up; one at a time, later calls join it. */
  catchUp(): Promise<void> {
    if (this.running) {
      // A notify after this run started is not in it: run again once it ends.
      return this.running.then(() => (this.pending ? this.catchUp() : undefined));
    }
    this.pending = false;
    this.running = this.sync()
      .catch((error: unknown) => {
        this.pending = true;
        this.options.onError?.(error);
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async sync(): Promise<void> {
    const { repository } = this.options;
    const startedAt = this.clock();
    const { cursor, ids } = await repository.changedSince(this.cursor);
    const records = ids.length ? await repository.getMany(ids) : [];
    ids.forEach((id, i) => {
      const record = records[i];
      if (record && PUBLISHED_STATES.includes(record.state)) this.put(record);
      else this.remove(id);
    });
    this.cursor = cursor;
    this.syncedAt = startedAt;
  }

  private put(record: PromotionRecord): void {
    this.remove(record.id);
    this.records.set(record.id, record);
    for (const sku of skusOf(record)) {
      let ids = this.bySku.get(sku);
      if (!ids) this.bySku.set(sku, (ids = new Set()));
      ids.add(record.id);
    }
  }

  private remove(id: string): void {
    const old = this.records.get(id);
    if (!old) return;
    this.records.delete(id);
    for (const sku of skusOf(old)) {
      const ids = this.bySku.get(sku);
      ids?.delete(id);
      if (ids?.size === 0) this.bySku.delete(sku);
    }
  }
}

/** The SKUs a promotion is found under: its scope and its exclusions (promotion_skus). */
function skusOf(record: PromotionRecord): Set<string> {
  return new Set([...record.scope.skus, ...record.scope.excludedSkus]);
}
