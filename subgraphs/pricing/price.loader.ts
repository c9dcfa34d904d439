import DataLoader from 'dataloader';
import type { ErpPricingAdapter, PriceLookup, PriceRecord } from './erp-pricing.adapter.ts';

export type PriceLoader = DataLoader<PriceLookup, PriceRecord | null, string>;

/**
 * Per-request loader of effective prices keyed by (sku, location, channel, instant). One batch
 * becomes one adapter call, which groups the keys by distribution channel, plant and day and reads
 * each group in chunked OR-chain requests.
 */
export function createPriceLoader(adapter: ErpPricingAdapter): PriceLoader {
  return new DataLoader<PriceLookup, PriceRecord | null, string>(
    (keys) => adapter.findPrices(keys),
    {
      cacheKeyFn: (key) =>
        `${key.sku}\u0000${key.locationId ?? ''}\u0000${key.channel}\u0000${key.at}`,
    },
  );
}
