import type { BackendClient } from '../shared/backend-client.ts';
import type { Cache } from '../shared/cache/cache.ts';
import { createSubgraphCache } from '../shared/cache/create-cache.ts';
import type { SubgraphConfig } from '../shared/config.ts';
import { createErpClient } from '../shared/run-subgraph.ts';
import type { RunningSubgraph } from '../shared/subgraph-server.ts';
import { createSapPricingPorts } from './adapters/sap/sap-pricing.adapter.ts';
import type { SapPricingOptions } from './adapters/sap/sap-pricing.options.ts';
import { cachedPricingPorts } from './ports/cached-pricing-ports.ts';
import type { PricingPorts } from './ports/pricing-ports.ts';
import { createPricingServer } from './server.ts';

/** What tests and benchmarks replace in a pricing subgraph assembled from a config. */
export type PricingOverrides = {
  /** The ERP client of the SAP adapters, instead of one made from the config (the caller closes it). */
  erp?: BackendClient;
  /** Adapters used instead of the SAP ones, port by port; they sit behind the cache all the same. */
  adapters?: Partial<PricingPorts>;
  /** The cache, instead of the one the config chooses (the caller closes it); null: none. */
  cache?: Cache | null;
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
 * The one composition root of the pricing subgraph: from its config builds the SAP adapters
 * (ERP client from `erpUrl`), puts each port behind the cache (Redis when `redisUrl` is set, else
 * in-process; TTLs `cacheTtlMs`) and the server on top. index.ts, the tests and the benchmarks
 * assemble through it. Opens the cache's Redis connection, nothing else (no listening).
 */
export function assemblePricingSubgraph(
  config: SubgraphConfig,
  overrides: PricingOverrides = {},
): AssembledPricingSubgraph {
  const closers: (() => Promise<void>)[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((close) => close()));
  };
  try {
    const adapters = overrides.adapters ?? {};
    let sap: PricingPorts | undefined;
    const sapPorts = (): PricingPorts => {
      if (!sap) {
        let erp = overrides.erp;
        if (!erp) {
          const owned = createErpClient(config);
          closers.push(() => owned.close());
          erp = owned;
        }
        sap = createSapPricingPorts(erp, overrides.sap);
      }
      return sap;
    };
    const raw: PricingPorts = {
      prices: adapters.prices ?? sapPorts().prices,
      costs: adapters.costs ?? sapPorts().costs,
      products: adapters.products ?? sapPorts().products,
    };
    const ttl = config.cacheTtlMs;
    let cache = overrides.cache;
    if (cache === undefined && (ttl.prices > 0 || ttl.costs > 0 || ttl.products > 0)) {
      const owned = createSubgraphCache(config, 'pricing');
      closers.push(() => owned.close());
      cache = owned;
    }
    const ports = cache ? cachedPricingPorts(raw, cache, ttl) : raw;
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
