import DataLoader from 'dataloader';
import type { CostLookup, CostRecord, ErpPricingAdapter } from './erp-pricing.adapter.ts';

export type CostLoader = DataLoader<CostLookup, CostRecord | null, string>;

/** Per-request loader of unit cost by (sku, location); a `null` location means any plant. */
export function createCostLoader(adapter: ErpPricingAdapter): CostLoader {
  return new DataLoader<CostLookup, CostRecord | null, string>((keys) => adapter.findCosts(keys), {
    cacheKeyFn: (key) => `${key.sku}\u0000${key.locationId ?? ''}`,
  });
}
