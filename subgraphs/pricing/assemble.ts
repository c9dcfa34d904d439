import type { SubgraphConfig } from '../shared/config.ts';
import type { RunningSubgraph } from '../shared/subgraph-server.ts';
import { wirePorts, type PortOverrides } from '../shared/wire-ports.ts';
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

export type AssembledPricingSubgraph = {
  name: 'pricing';
  /** The ports the server reads, as wired: adapters behind the cache. */
  ports: PricingPorts;
  /** Builds the schema and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
  /** Closes what assembly opened (ERP client, cache), after the server closed. */
  dispose(): Promise<void>;
};

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
  const ttl = config.cacheTtlMs;
  const { ports, dispose } = wirePorts<PricingPorts>(
    config,
    {
      subgraph: 'pricing',
      portNames: ['prices', 'costs', 'products'],
      sap: (erp) => createSapPricingPorts(erp, overrides.sap),
      cacheWanted: ttl.prices > 0 || ttl.costs > 0 || ttl.products > 0,
      cached: (raw, cache) => cachedPricingPorts(raw, cache, ttl),
    },
    overrides,
  );
  try {
    const server = createPricingServer({
      principalSecrets: config.principalSecrets,
      ports,
      ...(overrides.minimumMarginPercent !== undefined
        ? { minimumMarginPercent: overrides.minimumMarginPercent }
        : {}),
      ...(overrides.now ? { now: overrides.now } : {}),
    });
    return {
      name: 'pricing',
      ports,
      listen: (port, host) => server.listen(port, host),
      dispose,
    };
  } catch (error) {
    void dispose();
    throw error;
  }
}
