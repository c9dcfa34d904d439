import type { Big } from 'big.js';
import { createCostLoader, type CostLoader } from './cost.loader.ts';
import type { PricingPorts } from './ports/pricing-ports.ts';
import { createPriceLoader, type PriceLoader } from './price.loader.ts';
import { createProductLoader, type ProductLoader } from './product.loader.ts';

export type PricingContext = {
  /** The request's instant (epoch ms): the default `at` of every price in the request. */
  now: number;
  /** Minimum margin of the margin floor, in percent of the selling price. */
  minimumMarginPercent: Big;
  loaders: {
    /** Prices shown to shoppers: may come from the shelf-price cache (CACHE_TTL_SHELF_PRICES_MS). */
    shelfPriceByKey: PriceLoader;
    /** Prices that decide money (approval readiness): never from the shelf-price cache. */
    priceByKey: PriceLoader;
    productBySku: ProductLoader;
    costByKey: CostLoader;
  };
};

export type PricingContextDeps = {
  /** The back-end, one port per concern (usually behind the cache). */
  ports: PricingPorts;
  minimumMarginPercent: Big;
  /** Clock; default `Date.now`. */
  now?: () => number;
};

/** A fresh context (and fresh DataLoaders) for one request. */
export function createPricingContext(deps: PricingContextDeps): PricingContext {
  return {
    now: (deps.now ?? Date.now)(),
    minimumMarginPercent: deps.minimumMarginPercent,
    loaders: {
      shelfPriceByKey: createPriceLoader(deps.ports.prices, { shelf: true }),
      priceByKey: createPriceLoader(deps.ports.prices),
      productBySku: createProductLoader(deps.ports.products),
      costByKey: createCostLoader(deps.ports.costs),
    },
  };
}
