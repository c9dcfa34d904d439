import type { Big } from 'big.js';
import type { PricingAnomalyPolicy } from '../../policies/pricing-anomaly-policy.ts';
import type { RequestFreshness } from '../shared/cache/request-freshness.ts';
import { createCostLoader, type CostLoader } from './cost.loader.ts';
import type { PricingPorts } from './ports/pricing-ports.ts';
import { createPriceHistoryLoader, type PriceHistoryLoader } from './price-history.loader.ts';
import { createPriceLoader, type PriceLoader } from './price.loader.ts';
import { createProductLoader, type ProductLoader } from './product.loader.ts';

export type PricingContext = {
  /** The request's instant (epoch ms): the default `at` of every price in the request. */
  now: number;
  /** Minimum margin of the margin floor, in percent of the selling price. */
  minimumMarginPercent: Big;
  /** Which pricing anomalies block and which warn (policies/pricing-anomalies.yaml). */
  anomalies: PricingAnomalyPolicy;
  /** Whether the caller asked for fresh answers, and which cached answers were served stale. */
  freshness: RequestFreshness;
  loaders: {
    /** Prices shown to shoppers: may come from the shelf-price cache (policies/caching.yaml), stale and marked. */
    shelfPriceByKey: PriceLoader;
    /** Prices that decide money (approval readiness): never from the shelf-price cache. */
    priceByKey: PriceLoader;
    productBySku: ProductLoader;
    costByKey: CostLoader;
    /** Past promotional prices of a SKU over a window (decide money: never stale). */
    priceHistoryByKey: PriceHistoryLoader;
  };
};

export type PricingContextDeps = {
  /** The back-end, one port per concern (usually behind the cache). */
  ports: PricingPorts;
  minimumMarginPercent: Big;
  anomalies: PricingAnomalyPolicy;
  /** The request's cache reads (`Cache-Control: no-cache`, stale answers). */
  freshness: RequestFreshness;
  /** Clock; default `Date.now`. */
  now?: () => number;
};

/** A fresh context (and fresh DataLoaders) for one request. */
export function createPricingContext(deps: PricingContextDeps): PricingContext {
  return {
    now: (deps.now ?? Date.now)(),
    minimumMarginPercent: deps.minimumMarginPercent,
    anomalies: deps.anomalies,
    freshness: deps.freshness,
    loaders: {
      shelfPriceByKey: createPriceLoader(deps.ports.prices, {
        shelf: true,
        ...deps.freshness.readFor('prices'),
      }),
      // What decides money is never served stale (its policy has no stale windows).
      priceByKey: createPriceLoader(deps.ports.prices, { fresh: deps.freshness.fresh }),
      productBySku: createProductLoader(deps.ports.products, deps.freshness.readFor('products')),
      costByKey: createCostLoader(deps.ports.costs, { fresh: deps.freshness.fresh }),
      priceHistoryByKey: createPriceHistoryLoader(deps.ports.priceHistory, {
        fresh: deps.freshness.fresh,
      }),
    },
  };
}
