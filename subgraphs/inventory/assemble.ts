import type { SubgraphConfig } from '../shared/config.ts';
import {
  withServer,
  wirePorts,
  type AssembledPortSubgraph,
  type PortOverrides,
} from '../shared/wire-ports.ts';
import { createSapInventoryPorts } from './adapters/sap/sap-inventory.adapter.ts';
import type { SapInventoryOptions } from './adapters/sap/sap-inventory.options.ts';
import { cachedInventoryPorts } from './ports/cached-inventory-ports.ts';
import type { InventoryPorts } from './ports/inventory-ports.ts';
import { createInventoryServer } from './server.ts';

/** What tests and benchmarks replace in a inventory subgraph assembled from a config. */
export type InventoryOverrides = PortOverrides<InventoryPorts> & {
  /** Settings of the SAP adapters (sellable storage locations, chunk sizes, log...). Default theirs. */
  sap?: Omit<SapInventoryOptions, 'client'>;
  /** ATP at or below this many base units is LOW_STOCK. Default the server's (5). */
  lowStockThreshold?: number | string;
};

export type AssembledInventorySubgraph = AssembledPortSubgraph<'inventory', InventoryPorts>;

/**
 * The one composition root of the inventory subgraph: the SAP adapters (ERP client from `erpUrl`)
 * behind the cache the config chooses (shared/wire-ports.ts), and the server on top. index.ts,
 * the tests and the benchmarks assemble through it. Opens the cache's Redis connection, nothing
 * else (no listening).
 */
export function assembleInventorySubgraph(
  config: SubgraphConfig,
  overrides: InventoryOverrides = {},
): AssembledInventorySubgraph {
  const policy = config.cachePolicy;
  const wired = wirePorts<InventoryPorts>(
    config,
    {
      subgraph: 'inventory',
      // Safety stock apart only with the SAP stock port: another stock adapter answers it itself.
      portNames: overrides.adapters?.stock
        ? ['stock', 'locations']
        : ['stock', 'locations', 'safetyStock'],
      sap: (erp) => createSapInventoryPorts({ ...overrides.sap, client: erp }),
      cacheWanted: (['stock', 'locations', 'products'] as const).some(
        (port) => policy[port].freshMs > 0,
      ),
      cached: (raw, cache) => cachedInventoryPorts(raw, cache, policy),
    },
    overrides,
  );
  return withServer('inventory', wired, (ports, metrics) =>
    createInventoryServer({
      principalSecrets: config.principalSecrets,
      ports,
      metrics,
      stockReadinessPolicy: config.stockReadinessPolicy,
      ...(overrides.lowStockThreshold !== undefined
        ? { lowStockThreshold: overrides.lowStockThreshold }
        : {}),
    }),
  );
}
