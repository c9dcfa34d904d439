import type { ReadOptions } from '../../shared/cache/read-options.ts';
import type { StockComponents } from '../atp.ts';

/** Stock of one SKU at one location, quantities as decimal strings in the base unit. */
export type StockSnapshot = StockComponents & {
  sku: string;
  locationId: string;
  unitOfMeasure: string;
  /** When the back-end snapshot was read (ISO 8601, UTC). */
  asOf: string;
};

/** Version of `StockSnapshot` in caches: bump it with any change to the type or its meaning. */
export const STOCK_SNAPSHOT_VERSION = 1;

/** Key of one (SKU, location) pair in `readStock`'s answer. */
export function stockKey(sku: string, locationId: string): string {
  return `${sku}\u0000${locationId}`;
}

/** Safety stock per (SKU, location), decimal strings in the base unit ('0' when none is set). */
export type SafetyStockSource = {
  /** For every pair of `skus` x `locationIds`, keyed by `stockKey`. */
  readSafetyStock(
    skus: readonly string[],
    locationIds: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, string>>;
};

/** Version of the safety stock values in caches. */
export const SAFETY_STOCK_VERSION = 1;

/**
 * The stock port whose snapshots take their safety stock from `safety` (read side by side, each
 * through its own cache and policy), for a back-end that keeps safety stock apart from the
 * quantities (SAP: a planning parameter, master data).
 */
export function withSafetyStock(quantities: StockSource, safety: SafetyStockSource): StockSource {
  return {
    async readStock(skus, locationIds, options) {
      const [stock, safetyStock] = await Promise.all([
        quantities.readStock(skus, locationIds, options),
        safety.readSafetyStock(skus, locationIds, options),
      ]);
      return new Map(
        [...stock].map(([key, q]) => [key, { ...q, safetyStock: safetyStock.get(key) ?? '0' }]),
      );
    },
  };
}

/** Where stock (the components of available-to-promise) comes from. */
export type StockSource = {
  /**
   * Stock for every (sku, locationId) pair of `skus` x `locationIds`, keyed by `stockKey`.
   * A SKU (or location) the back-end does not know yields zero quantities. `options` matter to
   * the caching decorator only (fresh reads, stale answers reported).
   */
  readStock(
    skus: readonly string[],
    locationIds: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, StockSnapshot>>;
};
