import type { Row } from '../odata/edm.ts';
import { skuIndex, type ErpSeed } from './seed.ts';

/**
 * The product master as writes see it: updates replace rows of `seed.products` in place (so every
 * read path sees them) and keep `seed.productsByGroup` in step; the seeded originals are kept so
 * `reset()` can put both back.
 */
export class ProductStore {
  /** 1-based SKU → the seeded row, for every SKU changed since the last reset. */
  private readonly originals = new Map<number, Row>();

  constructor(private readonly seed: ErpSeed) {}

  /** The current row of a `SKU000123` key, or undefined for an unknown key. */
  get(product: string): Row | undefined {
    const sku = skuIndex(this.seed, product);
    return sku === undefined ? undefined : this.seed.products[sku - 1];
  }

  /** Replaces the row of `next.Product` (which must exist), moving it between group lists. */
  update(next: Row): void {
    const sku = skuIndex(this.seed, String(next.Product));
    if (sku === undefined) throw new Error(`Unknown product '${String(next.Product)}'`);
    if (!this.originals.has(sku)) this.originals.set(sku, this.seed.products[sku - 1]!);
    this.replace(sku, next);
  }

  /** Restores every changed row and the group index to the seed. */
  reset(): void {
    for (const [sku, original] of this.originals) this.replace(sku, original);
    this.originals.clear();
  }

  private replace(sku: number, next: Row): void {
    const before = this.seed.products[sku - 1]!;
    this.seed.products[sku - 1] = next;
    const from = String(before.ProductGroup);
    const to = String(next.ProductGroup);
    if (from === to) return;
    removeSorted(this.seed.productsByGroup, from, sku);
    insertSorted(this.seed.productsByGroup, to, sku);
  }
}

function removeSorted(index: Map<string, number[]>, key: string, sku: number): void {
  const list = index.get(key);
  const at = list?.indexOf(sku) ?? -1;
  if (!list || at < 0) return;
  list.splice(at, 1);
  if (list.length === 0) index.delete(key);
}

function insertSorted(index: Map<string, number[]>, key: string, sku: number): void {
  const list = index.get(key);
  if (!list) {
    index.set(key, [sku]);
    return;
  }
  let at = list.findIndex((s) => s >= sku);
  if (at < 0) at = list.length;
  if (list[at] !== sku) list.splice(at, 0, sku);
}
