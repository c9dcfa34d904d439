import type { PromotionRecord } from '../model/promotion.model.ts';
import { includedTerms } from '../model/scope-terms.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import { PUBLISHED_STATES } from './eligibility.ts';

/**
 * What eligibility reads: the published promotions naming each SKU (scope or exclusion), those
 * including each category, brand or hierarchy-node term, and whether any includes a term at all.
 */
export type PublishedSource = Pick<
  PromotionRepository,
  'findPublishedBySkus' | 'findPublishedByTerms' | 'hasPublishedTermScopes'
>;

export type PublishedIndexOptions = {
  repository: Pick<
    PromotionRepository,
    | 'findPublishedBySkus'
    | 'findPublishedByTerms'
    | 'hasPublishedTermScopes'
    | 'listPublished'
    | 'changedSince'
    | 'getMany'
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
  private readonly byTerm = new Map<string, Set<string>>();
  /** Ids of the promotions whose scope includes a term. */
  private readonly termScoped = new Set<string>();
  private cursor = 0;
  private syncedAt = -Infinity;
  private pending = false;
  private running: Promise<void> | undefined;
  /** The catch-up of this instance's own commits that reads are waiting for. */
  private ownCatchUp: Promise<void> | undefined;
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
    if (!(await this.trusted())) return this.options.repository.findPublishedBySkus(skus);
    return this.lookUp(this.bySku, skus);
  }

  async findPublishedByTerms(terms: readonly string[]): Promise<Map<string, PromotionRecord[]>> {
    if (!(await this.trusted())) return this.options.repository.findPublishedByTerms(terms);
    return this.lookUp(this.byTerm, terms);
  }

  async hasPublishedTermScopes(): Promise<boolean> {
    if (!(await this.trusted())) return this.options.repository.hasPublishedTermScopes();
    return this.termScoped.size > 0;
  }

  /** Own commits caught up first (read your writes), and a catch-up recent enough. */
  private async trusted(): Promise<boolean> {
    // Every read arriving while own commits are caught up waits for that catch-up (not only the
    // one that started it); a poll in flight is not waited for.
    if (this.pending) {
      const ownCatchUp = this.catchUp().catch(() => undefined);
      this.ownCatchUp = ownCatchUp;
      void ownCatchUp.finally(() => {
        if (this.ownCatchUp === ownCatchUp) this.ownCatchUp = undefined;
      });
    }
    if (this.ownCatchUp) await this.ownCatchUp;
    const maxStaleness = this.options.maxStalenessMs ?? 5000;
    return !this.pending && this.clock() - this.syncedAt <= maxStaleness;
  }

  private lookUp(
    index: Map<string, Set<string>>,
    keys: readonly string[],
  ): Map<string, PromotionRecord[]> {
    const out = new Map<string, PromotionRecord[]>();
    for (const key of keys) {
      const ids = index.get(key);
      const found = ids ? [...ids].map((id) => this.records.get(id)!) : [];
      out.set(
        key,
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
    for (const sku of skusOf(record)) add(this.bySku, sku, record.id);
    const terms = includedTerms(record.scope);
    for (const term of terms) add(this.byTerm, term, record.id);
    if (terms.length) this.termScoped.add(record.id);
  }

  private remove(id: string): void {
    const old = this.records.get(id);
    if (!old) return;
    this.records.delete(id);
    for (const sku of skusOf(old)) drop(this.bySku, sku, id);
    for (const term of includedTerms(old.scope)) drop(this.byTerm, term, id);
    this.termScoped.delete(id);
  }
}

function add(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

function drop(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  ids?.delete(id);
  if (ids?.size === 0) index.delete(key);
}

/** The SKUs a promotion is found under: its scope and its exclusions (promotion_skus). */
function skusOf(record: PromotionRecord): Set<string> {
  return new Set([...record.scope.skus, ...record.scope.excludedSkus]);
}
