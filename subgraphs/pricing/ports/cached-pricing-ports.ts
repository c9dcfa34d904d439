import type { Cache } from '../../shared/cache/cache.ts';
import type { CachePolicy, PortCachePolicy } from '../../../policies/cache-policy.ts';
import { cachedPortBatch, freshOnly } from '../../shared/cache/port-cache.ts';
import {
  COST_RECORD_VERSION,
  type CostLookup,
  type CostRecord,
  type CostSource,
} from './cost-source.port.ts';
import {
  PRICE_HISTORY_RECORD_VERSION,
  type PastPromotionalPrice,
  type PriceHistoryLookup,
  type PriceHistorySource,
} from './price-history-source.port.ts';
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

/**
 * Prices through the cache, per (SKU, location, channel, UTC day): see `PriceSource`. These
 * decide money (approval readiness): their policy has no stale windows (policies/caching.yaml).
 */
export function cachedPriceSource(
  port: PriceSource,
  cache: Cache,
  policy: PortCachePolicy,
): PriceSource {
  if (policy.freshMs <= 0) return port;
  const findPrices = cachedPortBatch<PriceLookup, PriceRecord | null>(
    cache,
    { subgraph: 'pricing', port: 'prices', version: PRICE_RECORD_VERSION },
    policy,
    priceKey,
    (keys) => port.findPrices(keys),
    (record) => record?.asOf,
  );
  return { findPrices: (keys, options) => findPrices(keys, options) };
}

/**
 * Shelf prices (`{ shelf: true }`, what shoppers see) through a cache of their own under the
 * `shelfPrices` policy (which may serve them stale, marked), over `port`; every other read
 * (approval readiness) goes to `port` as it is.
 */
export function shelfPriceSource(
  port: PriceSource,
  cache: Cache,
  policy: PortCachePolicy,
): PriceSource {
  if (policy.freshMs <= 0) return port;
  const shelf = cachedPortBatch<PriceLookup, PriceRecord | null>(
    cache,
    { subgraph: 'pricing', port: 'shelf-prices', version: PRICE_RECORD_VERSION },
    policy,
    priceKey,
    (keys) => port.findPrices(keys),
    (record) => record?.asOf,
  );
  return {
    findPrices: (keys, options) =>
      options?.shelf ? shelf(keys, options) : port.findPrices(keys, options),
  };
}

/** Costs through the cache, per (SKU, location); they decide money (no stale windows). */
export function cachedCostSource(
  port: CostSource,
  cache: Cache,
  policy: PortCachePolicy,
): CostSource {
  if (policy.freshMs <= 0) return port;
  const findCosts = cachedPortBatch<CostLookup, CostRecord | null>(
    cache,
    { subgraph: 'pricing', port: 'costs', version: COST_RECORD_VERSION },
    policy,
    (k) => `${k.sku}\u0000${k.locationId ?? ''}`,
    (keys) => port.findCosts(keys),
  );
  return { findCosts: (keys, options) => findCosts(keys, options) };
}

/** Product master data through the cache, per SKU. */
export function cachedProductSource(
  port: ProductSource,
  cache: Cache,
  policy: PortCachePolicy,
): ProductSource {
  if (policy.freshMs <= 0) return port;
  const findProducts = cachedPortBatch<string, ProductRecord | null>(
    cache,
    { subgraph: 'pricing', port: 'products', version: PRODUCT_RECORD_VERSION },
    policy,
    (sku) => sku,
    (skus) => port.findProducts(skus),
  );
  return { findProducts: (skus, options) => findProducts(skus, options) };
}

/**
 * Past promotional prices through the cache, per (SKU, window): they decide a readiness finding,
 * so they share the `prices` policy (no stale windows; policies/caching.yaml has no port of
 * their own).
 */
export function cachedPriceHistorySource(
  port: PriceHistorySource,
  cache: Cache,
  policy: PortCachePolicy,
): PriceHistorySource {
  if (policy.freshMs <= 0) return port;
  const find = cachedPortBatch<PriceHistoryLookup, PastPromotionalPrice[]>(
    cache,
    { subgraph: 'pricing', port: 'price-history', version: PRICE_HISTORY_RECORD_VERSION },
    freshOnly(policy),
    (k) => `${k.sku}\u0000${k.from}\u0000${k.to}`,
    (keys) => port.findPromotionalHistory(keys),
  );
  return { findPromotionalHistory: (keys, options) => find(keys, options) };
}

/** Every pricing port behind the cache, each with its policy from the config (fresh 0: uncached). */
export function cachedPricingPorts(
  ports: PricingPorts,
  cache: Cache,
  policy: Pick<CachePolicy, 'prices' | 'shelfPrices' | 'costs' | 'products'>,
): PricingPorts {
  return {
    prices: shelfPriceSource(
      cachedPriceSource(ports.prices, cache, policy.prices),
      cache,
      policy.shelfPrices,
    ),
    costs: cachedCostSource(ports.costs, cache, policy.costs),
    products: cachedProductSource(ports.products, cache, policy.products),
    priceHistory: cachedPriceHistorySource(ports.priceHistory, cache, policy.prices),
  };
}
