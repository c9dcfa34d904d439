import type { Cache } from '../../shared/cache/cache.ts';
import { cachedBatch } from '../../shared/cache/cached-batch.ts';
import { scopedCache } from '../../shared/cache/cache-scope.ts';
import type { CacheTtls } from '../../shared/config.ts';
import type { InventoryPorts } from './inventory-ports.ts';
import {
  LOCATION_RECORD_VERSION,
  type LocationRecord,
  type LocationSource,
} from './location-source.port.ts';
import {
  STOCK_SNAPSHOT_VERSION,
  stockKey,
  type StockSnapshot,
  type StockSource,
} from './stock-source.port.ts';

type Pair = { sku: string; locationId: string };

/**
 * Stock through the cache, per (SKU, location): a read asks the port only for the pairs it
 * misses (their SKUs x their locations, in one call), and a cached snapshot keeps its `asOf`.
 */
export function cachedStockSource(port: StockSource, cache: Cache, ttlMs: number): StockSource {
  if (ttlMs <= 0) return port;
  const read = cachedBatch<Pair, StockSnapshot>({
    cache: scopedCache(cache, {
      subgraph: 'inventory',
      port: 'stock',
      version: STOCK_SNAPSHOT_VERSION,
    }),
    ttlMs,
    keyOf: (pair) => stockKey(pair.sku, pair.locationId),
    async load(pairs) {
      const skus = [...new Set(pairs.map((p) => p.sku))];
      const locationIds = [...new Set(pairs.map((p) => p.locationId))];
      const stock = await port.readStock(skus, locationIds);
      return pairs.map((p) => stock.get(stockKey(p.sku, p.locationId))!);
    },
  });
  return {
    async readStock(skus, locationIds) {
      const pairs = skus.flatMap((sku) => locationIds.map((locationId) => ({ sku, locationId })));
      const snapshots = await read(pairs);
      return new Map(pairs.map((p, i) => [stockKey(p.sku, p.locationId), snapshots[i]!]));
    },
  };
}

/** The location list through the cache, as one entry. */
export function cachedLocationSource(
  port: LocationSource,
  cache: Cache,
  ttlMs: number,
): LocationSource {
  if (ttlMs <= 0) return port;
  const read = cachedBatch<'all', LocationRecord[]>({
    cache: scopedCache(cache, {
      subgraph: 'inventory',
      port: 'locations',
      version: LOCATION_RECORD_VERSION,
    }),
    ttlMs,
    keyOf: (key) => key,
    load: async () => [await port.listLocations()],
  });
  return { listLocations: async () => (await read(['all']))[0]! };
}

/** Every inventory port behind the cache, each with its TTL from the config (0: uncached). */
export function cachedInventoryPorts(
  ports: InventoryPorts,
  cache: Cache,
  ttl: Pick<CacheTtls, 'stock' | 'locations'>,
): InventoryPorts {
  return {
    stock: cachedStockSource(ports.stock, cache, ttl.stock),
    locations: cachedLocationSource(ports.locations, cache, ttl.locations),
  };
}
