import type { BackendClient } from '../shared/backend-client.ts';
import type { Cache } from '../shared/cache/cache.ts';
import { createSubgraphCache } from '../shared/cache/create-cache.ts';
import type { SubgraphConfig } from '../shared/config.ts';
import { createErpClient } from '../shared/run-subgraph.ts';
import type { RunningSubgraph } from '../shared/subgraph-server.ts';
import { createSapFundingPorts } from './adapters/sap/sap-funding.adapter.ts';
import type { SapFundingOptions } from './adapters/sap/sap-funding.options.ts';
import { cachedFundingPorts } from './ports/cached-funding-ports.ts';
import type { FundingPorts } from './ports/funding-ports.ts';
import { createFundingServer } from './server.ts';

/** What tests and benchmarks replace in a funding subgraph assembled from a config. */
export type FundingOverrides = {
  /** The ERP client of the SAP adapters, instead of one made from the config (the caller closes it). */
  erp?: BackendClient;
  /** Adapters used instead of the SAP ones, port by port; they sit behind the cache all the same. */
  adapters?: Partial<FundingPorts>;
  /** The cache, instead of the one the config chooses (the caller closes it); null: none. */
  cache?: Cache | null;
  /** Mapping of the SAP adapters (settlement categories, list-price basis, log...). Default theirs. */
  sap?: SapFundingOptions;
  /** Business day (YYYY-MM-DD) status is derived on. Default: UTC today. */
  today?: () => string;
};

export type AssembledFundingSubgraph = {
  name: 'funding';
  /** The ports the server reads, as wired: adapters behind the cache. */
  ports: FundingPorts;
  /** Builds the schema and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
  /** Closes what assembly opened (ERP client, cache), after the server closed. */
  dispose(): Promise<void>;
};

/**
 * The one composition root of the funding subgraph: from its config builds the SAP adapters
 * (ERP client from `erpUrl`), puts each port behind the cache (Redis when `redisUrl` is set, else
 * in-process; TTLs `cacheTtlMs`) and the server on top. index.ts, the tests and the benchmarks
 * assemble through it. Opens the cache's Redis connection, nothing else (no listening).
 */
export function assembleFundingSubgraph(
  config: SubgraphConfig,
  overrides: FundingOverrides = {},
): AssembledFundingSubgraph {
  const closers: (() => Promise<void>)[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((close) => close()));
  };
  try {
    const adapters = overrides.adapters ?? {};
    let sap: FundingPorts | undefined;
    const sapPorts = (): FundingPorts => {
      if (!sap) {
        let erp = overrides.erp;
        if (!erp) {
          const owned = createErpClient(config);
          closers.push(() => owned.close());
          erp = owned;
        }
        sap = createSapFundingPorts(erp, overrides.sap);
      }
      return sap;
    };
    const raw: FundingPorts = {
      agreements: adapters.agreements ?? sapPorts().agreements,
      vendors: adapters.vendors ?? sapPorts().vendors,
      listPrices: adapters.listPrices ?? sapPorts().listPrices,
      productGroups: adapters.productGroups ?? sapPorts().productGroups,
    };
    const ttl = config.cacheTtlMs;
    let cache = overrides.cache;
    if (
      cache === undefined &&
      (ttl.agreements > 0 || ttl.vendors > 0 || ttl.prices > 0 || ttl.products > 0)
    ) {
      const owned = createSubgraphCache(config, 'funding');
      closers.push(() => owned.close());
      cache = owned;
    }
    const ports = cache ? cachedFundingPorts(raw, cache, ttl) : raw;
    const server = createFundingServer({
      principalSecrets: config.principalSecrets,
      ports,
      ...(overrides.today ? { today: overrides.today } : {}),
    });
    return {
      name: 'funding',
      ports,
      listen: (port, host) => server.listen(port, host),
      dispose,
    };
  } catch (error) {
    void dispose();
    throw error;
  }
}
