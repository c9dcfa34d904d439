import DataLoader from 'dataloader';
import type { ReadOptions } from '../shared/cache/read-options.ts';
import { notFound } from '../shared/errors.ts';
import { computeAtp } from './atp.ts';
import type { InventoryPosition } from './inventory-position.type.ts';
import type { LocationDirectory } from './location-directory.ts';
import type { LocationRecord } from './ports/location-source.port.ts';
import { stockKey, type StockSnapshot, type StockSource } from './ports/stock-source.port.ts';

export type PositionKey = { sku: string; locationId: string };

export type PositionLoader = DataLoader<PositionKey, InventoryPosition, string>;

/**
 * Per-request loader of inventory positions keyed by (sku, locationId). Every key requested in
 * one tick (many products in one `_entities` call, many promotions' readiness checks) becomes
 * one `readStock` call of the stock port (which the SAP adapter turns into a bounded number of
 * chunked ERP queries).
 */
export function positionByKey(
  stock: StockSource,
  directory: () => Promise<LocationDirectory>,
  lowStockThreshold: string,
  read: ReadOptions = {},
): PositionLoader {
  return new DataLoader<PositionKey, InventoryPosition, string>(
    async (keys) => {
      const locations = await directory();
      const skus = [...new Set(keys.map((k) => k.sku))];
      const known = [...new Set(keys.map((k) => k.locationId))].filter((id) =>
        locations.byId.has(id),
      );
      const snapshots =
        known.length > 0
          ? await stock.readStock(skus, known, read)
          : new Map<string, StockSnapshot>();
      return keys.map((key) => {
        const location = locations.byId.get(key.locationId);
        if (!location) return notFound('Location', key.locationId);
        const snapshot = snapshots.get(stockKey(key.sku, key.locationId))!;
        return positionOf(snapshot, location, lowStockThreshold);
      });
    },
    {
      cacheKeyFn: (key) => stockKey(key.sku, key.locationId),
      // Collect every key of the current turn of the event loop, including keys requested after
      // awaiting already-resolved promises (e.g. the request's location directory).
      batchScheduleFn: (callback) => setImmediate(callback),
    },
  );
}

/** One position, every field named (one object shape for all of them, no spread copies). */
function positionOf(
  snapshot: StockSnapshot,
  location: LocationRecord,
  lowStockThreshold: string,
): InventoryPosition {
  const atp = computeAtp(snapshot, lowStockThreshold);
  return {
    sku: snapshot.sku,
    locationId: snapshot.locationId,
    location,
    status: atp.status,
    availableToPromise: atp.availableToPromise,
    onHand: snapshot.onHand,
    reserved: snapshot.reserved,
    unavailable: snapshot.unavailable,
    safetyStock: snapshot.safetyStock,
    inTransit: snapshot.inTransit,
    unitOfMeasure: snapshot.unitOfMeasure,
    asOf: snapshot.asOf,
  };
}

/** Loads every key; the first failure (e.g. ERP unavailable) is thrown. */
export async function loadPositions(
  loader: PositionLoader,
  keys: readonly PositionKey[],
): Promise<InventoryPosition[]> {
  const results = await loader.loadMany(keys);
  const failure = results.find((r): r is Error => r instanceof Error);
  if (failure) throw failure;
  return results as InventoryPosition[];
}
