import type { ReadOptions } from '../../shared/cache/read-options.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { PriceKind } from '../pricing-enums.ts';

export type PriceLookup = {
  sku: string;
  /** Store id; `null` = chain-wide price only. */
  locationId: string | null;
  channel: SalesChannel;
  /** Instant, epoch milliseconds. */
  at: number;
};

/** The effective selling price of one base unit (canonical: no ERP names). */
export type PriceRecord = {
  sku: string;
  kind: PriceKind;
  /** Per one base unit, 2 decimals. */
  amount: string;
  currency: string;
  /** The pricing unit the back-end quoted the rate for (e.g. 10 for "per 10 PC"). */
  perQuantity: number;
  unitOfMeasure: string;
  /** Store the record is specific to; `null` for a chain-wide record. */
  locationId: string | null;
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  /** YYYY-MM-DD, inclusive; `null` when open-ended. */
  validTo: string | null;
  /** When the back-end answered this record (ISO 8601, UTC); a cached record keeps it. */
  asOf: string;
};

/** Version of `PriceRecord` in caches: bump it with any change to the type or its meaning. */
export const PRICE_RECORD_VERSION = 2;

/**
 * Where effective prices come from. Prices are day-granular, as the canonical `Price` is
 * (`validFrom`/`validTo` are dates): the price at an instant is the one valid on its UTC calendar
 * day, so two lookups on the same day may share an answer (the cache keys by day).
 * The precedence among competing records (clearance over regular, store over chain-wide...) is
 * the adapter's, documented there.
 */
/**
 * `shelf`: a price shown to a shopper, which may come from the shelf-price cache (and be served
 * stale, reported through `onStale`); the rest matter to the caching decorators only.
 */
export type PriceReadOptions = ReadOptions & { shelf?: boolean };

export type PriceSource = {
  /** One result per lookup, in order; `null` when no valid price exists. */
  findPrices(
    lookups: readonly PriceLookup[],
    options?: PriceReadOptions,
  ): Promise<(PriceRecord | null)[]>;
};
