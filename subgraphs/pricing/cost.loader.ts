import DataLoader from 'dataloader';
import type { ReadOptions } from '../shared/cache/read-options.ts';
import type { CostLookup, CostRecord, CostSource } from './ports/cost-source.port.ts';

export type CostLoader = DataLoader<CostLookup, CostRecord | null, string>;

/** Per-request loader of unit cost by (sku, location); a `null` location means any plant. */
export function createCostLoader(costs: CostSource, options: ReadOptions = {}): CostLoader {
  return new DataLoader<CostLookup, CostRecord | null, string>(
    (keys) => costs.findCosts(keys, options),
    { cacheKeyFn: (key) => `${key.sku}\u0000${key.locationId ?? ''}` },
  );
}
