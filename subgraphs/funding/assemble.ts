import type { SubgraphConfig } from '../shared/config.ts';
import {
  withServer,
  wirePorts,
  type AssembledPortSubgraph,
  type PortOverrides,
} from '../shared/wire-ports.ts';
import { createSapFundingPorts } from './adapters/sap/sap-funding.adapter.ts';
import type { SapFundingOptions } from './adapters/sap/sap-funding.options.ts';
import { cachedFundingPorts } from './ports/cached-funding-ports.ts';
import type { FundingPorts } from './ports/funding-ports.ts';
import { createFundingServer } from './server.ts';

/** What tests and benchmarks replace in a funding subgraph assembled from a config. */
export type FundingOverrides = PortOverrides<FundingPorts> & {
  /** Mapping of the SAP adapters (settlement categories, list-price basis, log...). Default theirs. */
  sap?: SapFundingOptions;
  /** Business day (YYYY-MM-DD) status is derived on. Default: UTC today. */
  today?: () => string;
};

export type AssembledFundingSubgraph = AssembledPortSubgraph<'funding', FundingPorts>;

/**
 * The one composition root of the funding subgraph: the SAP adapters (ERP client from `erpUrl`)
 * behind the cache the config chooses (shared/wire-ports.ts), and the server on top. index.ts,
 * the tests and the benchmarks assemble through it. Opens the cache's Redis connection, nothing
 * else (no listening).
 */
export function assembleFundingSubgraph(
  config: SubgraphConfig,
  overrides: FundingOverrides = {},
): AssembledFundingSubgraph {
  const policy = config.cachePolicy;
  const wired = wirePorts<FundingPorts>(
    config,
    {
      subgraph: 'funding',
      portNames: ['agreements', 'vendors', 'listPrices', 'productGroups'],
      sap: (erp) => createSapFundingPorts(erp, overrides.sap),
      cacheWanted: (['agreements', 'vendors', 'prices', 'products'] as const).some(
        (port) => policy[port].freshMs > 0,
      ),
      cached: (raw, cache) => cachedFundingPorts(raw, cache, policy),
    },
    overrides,
  );
  return withServer('funding', wired, (ports, metrics) =>
    createFundingServer({
      principalSecrets: config.principalSecrets,
      ports,
      metrics,
      ...(overrides.today ? { today: overrides.today } : {}),
    }),
  );
}
