import DataLoader from 'dataloader';
import type {
  PriceLookup,
  PriceReadOptions,
  PriceRecord,
  PriceSource,
} from './ports/price-source.port.ts';

export type PriceLoader = DataLoader<PriceLookup, PriceRecord | null, string>;

/**
 * Per-request loader of effective prices keyed by (sku, location, channel, instant). One batch
 * becomes one call of the price port (the SAP adapter groups the keys by distribution channel,
 * plant and day and reads each group in chunked OR-chain requests).
 */
export function createPriceLoader(
  prices: PriceSource,
  options: PriceReadOptions = {},
): PriceLoader {
  return new DataLoader<PriceLookup, PriceRecord | null, string>(
    (keys) => prices.findPrices(keys, options),
    {
      cacheKeyFn: (key) =>
        `${key.sku}\u0000${key.locationId ?? ''}\u0000${key.channel}\u0000${key.at}`,
    },
  );
}
