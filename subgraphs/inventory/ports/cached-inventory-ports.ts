import type { Cache } from '../../shared/cache/cache.ts';
import type { CachePolicy, PortCachePolicy } from '../../../policies/cache-policy.ts';
import { cachedPortBatch } from '../../shared/cache/port-cache.ts';
import type { InventoryPorts } from './inventory-ports.ts';
import {
  LOCATION_RECORD_VERSION,
  type LocationRecord,
  type LocationSource,
} from './location-source.port.ts';
import {
  SAFETY_STOCK_VERSION,
  STOCK_SNAPSHOT_VERSION,
  stockKey,
  type SafetyStockSource,
  type StockSnapshot,
  type StockSource,
} from './stock-source.port.ts';

type Pair = { sku: string; locationId: string };

/** Every (SKU, location) of `skus` x `locationIds`, SKU-major. */
function pairsOf(skus: readonly string[], locationIds: readonly string[]): Pair[] {
  return skus.flatMap((sku) => locationIds.map((locationId) => ({ sku, locationId })));
}

/** The distinct SKUs and locations of `pairs`: one port read covers their cross product. */
function axesOf(pairs: readonly Pair[]): [skus: string[], locationIds: string[]] {
  return [[...new Set(pairs.map((p) => p.sku))], [...new Set(pairs.map((p) => p.locationId))]];
}

/** Answers per pair, keyed by `stockKey`, as the ports return them. */
function byStockKey<V>(pairs: readonly Pair[], values: readonly V[]): Map<string, V> {
  return new Map(pairs.map((p, i) => [stockKey(p.sku, p.locationId), values[i]!]));
}

/**
 * Stock through the cache, per (SKU, location): a read asks the port only for the pairs it
 * misses (their SKUs x their locations, in one call), and a cached snapshot keeps its `asOf`.
 */
export function cachedStockSource(
  port: StockSource,
  cache: Cache,
  policy: PortCachePolicy,
): StockSource {
  if (policy.freshMs <= 0) return port;
  const read = cachedPortBatch<Pair, StockSnapshot>(
    cache,
    { subgraph: 'inventory', port: 'stock', version: STOCK_SNAPSHOT_VERSION },
    policy,
    (pair) => stockKey(pair.sku, pair.locationId),
    async (pairs, more) => {
      const stock = await port.readStock(...axesOf(pairs));
      // The read answers every SKU x location of the pairs: the pairs nobody asked for (keys
      // of several pages read together) are cached too, at no extra ERP call.
      for (const snapshot of stock.values()) more(snapshot, snapshot);
      return pairs.map((p) => stock.get(stockKey(p.sku, p.locationId))!);
    },
    (snapshot) => snapshot.asOf,
  );
  return {
    async readStock(skus, locationIds, options) {
      const pairs = pairsOf(skus, locationIds);
      return byStockKey(pairs, await read(pairs, options));
    },
  };
}

/** The location list through the cache, as one entry. */
export function cachedLocationSource(
  port: LocationSource,
  cache: Cache,
  policy: PortCachePolicy,
): LocationSource {
  if (policy.freshMs <= 0) return port;
  const read = cachedPortBatch<'all', LocationRecord[]>(
    cache,
    { subgraph: 'inventory', port: 'locations', version: LOCATION_RECORD_VERSION },
    policy,
    (key) => key,
    async () => [await port.listLocations()],
  );
  return { listLocations: async (options) => (await read(['all'], options))[0]! };
}

/** Safety stock through the cache, per (SKU, location), under the master-data policy. */
export function cachedSafetyStockSource(
  port: SafetyStockSource,
  cache: Cache,
  policy: PortCachePolicy,
): SafetyStockSource {
  if (policy.freshMs <= 0) return port;
  const read = cachedPortBatch<Pair, string>(
    cache,
    { subgraph: 'inventory', port: 'safety-stock', version: SAFETY_STOCK_VERSION },
    policy,
    (pair) => stockKey(pair.sku, pair.locationId),
    async (pairs) => {
      const safety = await port.readSafetyStock(...axesOf(pairs));
      return pairs.map((p) => safety.get(stockKey(p.sku, p.locationId)) ?? '0');
    },
  );
  return {
    async readSafetyStock(skus, locationIds, options) {
      const pairs = pairsOf(skus, locationIds);
      return byStockKey(pairs, await read(pairs, options));
    },
  };
}

/** Every inventory port behind the cache, each with its policy from the config (fresh 0: uncached). */
export function cachedInventoryPorts(
  ports: InventoryPorts,
  cache: Cache,
  policy: Pick<CachePolicy, 'stock' | 'locations' | 'products'>,
): InventoryPorts {
  return {
    stock: cachedStockSource(ports.stock, cache, policy.stock),
    locations: cachedLocationSource(ports.locations, cache, policy.locations),
    // A planning parameter: master data, cached as the product master is.
    ...(ports.safetyStock
      ? { safetyStock: cachedSafetyStockSource(ports.safetyStock, cache, policy.products) }
      : {}),
  };
}
