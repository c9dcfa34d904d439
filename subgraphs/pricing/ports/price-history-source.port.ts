import type { ReadOptions } from '../../shared/cache/read-options.ts';

/** The promotional-price history of one SKU over a window of days (both ends inclusive). */
export type PriceHistoryLookup = {
  sku: string;
  /** First day of the window, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day of the window, YYYY-MM-DD (UTC), inclusive. */
  to: string;
};

/** One past promotional (sale) price of a SKU, with the regular price it was taken off (canonical). */
export type PastPromotionalPrice = {
  sku: string;
  /** Store the price was specific to; `null` for a chain-wide one. */
  locationId: string | null;
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  /** YYYY-MM-DD, inclusive; `null` when open-ended. */
  validTo: string | null;
  /** Regular price of one base unit when the promotion began (2 decimals); `null` for a percentage promotion. */
  regularAmount: string | null;
  /** Promotional price of one base unit (2 decimals); `null` for a percentage promotion. */
  promotionalAmount: string | null;
  currency: string | null;
  /** (regular − promotional) / regular × 100, unrounded decimal string. */
  discountPercent: string;
};

/** Version of `PastPromotionalPrice` in caches: bump it with any change to the type or its meaning. */
export const PRICE_HISTORY_RECORD_VERSION = 1;

/**
 * Where a SKU's past promotional prices come from (the DEEPER_THAN_HISTORY rule of the PRICING
 * check). A promotional price belongs to the window when its validity overlaps it. Which records
 * count as promotional and which regular price each is compared with is the adapter's rule,
 * documented there. Reads are batched: the adapter answers many SKUs per back-end call.
 */
export type PriceHistorySource = {
  /** One list per lookup, in order (empty when the SKU had no promotional price in the window). */
  findPromotionalHistory(
    lookups: readonly PriceHistoryLookup[],
    options?: ReadOptions,
  ): Promise<PastPromotionalPrice[][]>;
};
