import DataLoader from 'dataloader';
import type { ReadOptions } from '../shared/cache/read-options.ts';
import type {
  PastPromotionalPrice,
  PriceHistoryLookup,
  PriceHistorySource,
} from './ports/price-history-source.port.ts';

export type PriceHistoryLoader = DataLoader<PriceHistoryLookup, PastPromotionalPrice[], string>;

/**
 * Per-request loader of a SKU's past promotional prices over a window. One batch becomes one call
 * of the port (the SAP adapter reads each window in chunked OR-chain requests over the SKUs).
 */
export function createPriceHistoryLoader(
  history: PriceHistorySource,
  options: ReadOptions = {},
): PriceHistoryLoader {
  return new DataLoader<PriceHistoryLookup, PastPromotionalPrice[], string>(
    (keys) => history.findPromotionalHistory(keys, options),
    { cacheKeyFn: (key) => `${key.sku}\u0000${key.from}\u0000${key.to}` },
  );
}
