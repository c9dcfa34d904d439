import type { SubgraphConfig } from '../shared/config.ts';
import {
  withServer,
  wirePorts,
  type AssembledPortSubgraph,
  type PortOverrides,
} from '../shared/wire-ports.ts';
import { createSapPricingPorts } from './adapters/sap/sap-pricing.adapter.ts';
import type { SapPricingOptions } from './adapters/sap/sap-pricing.options.ts';
import { cachedPricingPorts } from './ports/cached-pricing-ports.ts';
import type { PricingPorts } from './ports/pricing-ports.ts';
import { createPricingServer } from './server.ts';

/** What tests and benchmarks replace in a pricing subgraph assembled from a config. */
export type PricingOverrides = PortOverrides<PricingPorts> & {
  /** Mapping of the SAP adapters (sales organisation, distribution channels...). Default theirs. */
  sap?: SapPricingOptions;
  /** Minimum margin of the margin floor, percent. Default the server's (10). */
  minimumMarginPercent?: string | number;
  /** Clock for the default `at` of prices. Default `Date.now`. */
  now?: () => number;
};

export type AssembledPricingSubgraph = AssembledPortSubgraph<'pricing', PricingPorts>;

/**
 * The one composition root of the pricing subgraph: the SAP adapters (ERP client from `erpUrl`)
 * behind the cache the config chooses (shared/wire-ports.ts), and the server on top. index.ts,
 * the tests and the benchmarks assemble through it. Opens the cache's Redis connection, nothing
 * else (no listening).
 */
export function assemblePricingSubgraph(
  config: SubgraphConfig,
  overrides: PricingOverrides = {},
): AssembledPricingSubgraph {
  const policy = config.cachePolicy;
  const wired = wirePorts<PricingPorts>(
    config,
    {
      subgraph: 'pricing',
      portNames: ['prices', 'costs', 'products', 'priceHistory'],
      sap: (erp) => createSapPricingPorts(erp, overrides.sap),
      cacheWanted: (['prices', 'shelfPrices', 'costs', 'products'] as const).some(
        (port) => policy[port].freshMs > 0,
      ),
      cached: (raw, cache) => cachedPricingPorts(raw, cache, policy),
    },
    overrides,
  );
  return withServer('pricing', wired, (ports, metrics) =>
    createPricingServer({
      principalSecrets: config.principalSecrets,
      anomalies: config.pricingAnomalyPolicy,
      ports,
      metrics,
      ...(overrides.minimumMarginPercent !== undefined
        ? { minimumMarginPercent: overrides.minimumMarginPercent }
        : {}),
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
  );
}
