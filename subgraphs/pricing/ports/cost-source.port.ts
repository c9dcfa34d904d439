import type { ReadOptions } from '../../shared/cache/read-options.ts';
import type { MarginBasis } from '../pricing-enums.ts';

export type CostLookup = {
  sku: string;
  /** Store id; `null` = the source's reference cost (any location). */
  locationId: string | null;
};

/** Unit cost of one base unit (canonical: no ERP names). */
export type CostRecord = {
  sku: string;
  /** Unrounded cost of one base unit (decimal string). */
  amount: string;
  currency: string;
  basis: MarginBasis;
  /** Location the cost was taken from. */
  locationId: string;
};

/** Version of `CostRecord` in caches: bump it with any change to the type or its meaning. */
export const COST_RECORD_VERSION = 1;

/**
 * Where unit costs (the basis of the margin floor) come from. A store without a cost of its own
 * falls back to another location's: which one is the adapter's rule, documented there.
 */
export type CostSource = {
  /** One result per lookup, in order; `null` when the SKU has no cost anywhere. */
  findCosts(lookups: readonly CostLookup[], options?: ReadOptions): Promise<(CostRecord | null)[]>;
};
