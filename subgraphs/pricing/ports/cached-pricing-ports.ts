import type { Cache } from '../../shared/cache/cache.ts';
import { cachedBatch } from '../../shared/cache/cached-batch.ts';
import { scopedCache } from '../../shared/cache/cache-scope.ts';
import type { CacheTtls } from '../../shared/config.ts';
import {
  COST_RECORD_VERSION,
  type CostLookup,
  type CostRecord,
  type CostSource,
} from './cost-source.port.ts';
import {
  PRICE_RECORD_VERSION,
  type PriceLookup,
  type PriceRecord,
  type PriceSource,
} from './price-source.port.ts';
import type { PricingPorts } from './pricing-ports.ts';
import {
  PRODUCT_RECORD_VERSION,
  type ProductRecord,
  type ProductSource,
} from './product-source.port.ts';

const DAY_MS = 86_400_000;

const priceKey = (k: PriceLookup) =>
  `${k.sku}\u0000${k.locationId ?? ''}\u0000${k.channel}\u0000${Math.floor(k.at / DAY_MS)}`;

/** Prices through the cache, per (SKU, location, channel, UTC day): see `PriceSource`. */
export function cachedPriceSource(port: PriceSource, cache: Cache, ttlMs: number): PriceSource {
  if (ttlMs <= 0) return port;
  const findPrices = cachedBatch<PriceLookup, PriceRecord | null>({
    cache: scopedCache(cache, {
      subgraph: 'pricing',
      port: 'prices',
      version: PRICE_RECORD_VERSION,
    }),
    ttlMs,
    keyOf: priceKey,
    load: (keys) => port.findPrices(keys),
  });
  return { findPrices: (keys) => findPrices(keys) };
}

/**
 * Shelf prices (`{ shelf: true }`, what shoppers see) through a cache of their own for
 * `ttlMs`, over `port`; every other read (approval readiness) goes to `port` as it is.
 */
export function shelfPriceSource(port: PriceSource, cache: Cache, ttlMs: number): PriceSource {
  if (ttlMs <= 0) return port;
  const shelf = cachedBatch<PriceLookup, PriceRecord | null>({
    cache: scopedCache(cache, {
      subgraph: 'pricing',
      port: 'shelf-prices',
      version: PRICE_RECORD_VERSION,
    }),
    ttlMs,
    keyOf: priceKey,
    load: (keys) => port.findPrices(keys),
  });
  return {
    findPrices: (keys, options) => (options?.shelf ? shelf(keys) : port.findPrices(keys)),
  };
}

/** Costs through the cache, per (SKU, location). */
export function cachedCostSource(port: CostSource, cache: Cache, ttlMs: number): CostSource {
  if (ttlMs <= 0) return port;
  const findCosts = cachedBatch<CostLookup, CostRecord | null>({
    cache: scopedCache(cache, { subgraph: 'pricing', port: 'costs', version: COST_RECORD_VERSION }),
    ttlMs,
    keyOf: (k) => `${k.sku}\u0000${k.locationId ?? ''}`,
    load: (keys) => port.findCosts(keys),
  });
  return { findCosts };
}

/** Product master data through the cache, per SKU. */
export function cachedProductSource(
  port: ProductSource,
  cache: Cache,
  ttlMs: number,
): ProductSource {
  if (ttlMs <= 0) return port;
  const findProducts = cachedBatch<string, ProductRecord | null>({
    cache: scopedCache(cache, {
      subgraph: 'pricing',
      port: 'products',
      version: PRODUCT_RECORD_VERSION,
    }),
    ttlMs,
    keyOf: (sku) => sku,
    load: (skus) => port.findProducts(skus),
  });
  return { findProducts };
}

/** Every pricing port behind the cache, each with its TTL from the config (0: uncached). */
export function cachedPricingPorts(
  ports: PricingPorts,
  cache: Cache,
  ttl: Pick<CacheTtls, 'prices' | 'shelfPrices' | 'costs' | 'products'>,
): PricingPorts {
  return {
    prices: shelfPriceSource(
      cachedPriceSource(ports.prices, cache, ttl.prices),
      cache,
      ttl.shelfPrices,
    ),
    costs: cachedCostSource(ports.costs, cache, ttl.costs),
    products: cachedProductSource(ports.products, cache, ttl.products),
  };
}
