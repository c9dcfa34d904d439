import type { BackendClient } from '../shared/backend-client.ts';
import type { Cache } from '../shared/cache/cache.ts';
import { createSubgraphCache } from '../shared/cache/create-cache.ts';
import type { SubgraphConfig } from '../shared/config.ts';
import { createErpClient } from '../shared/run-subgraph.ts';
import type { RunningSubgraph } from '../shared/subgraph-server.ts';
import { createSapInventoryPorts } from './adapters/sap/sap-inventory.adapter.ts';
import type { SapInventoryOptions } from './adapters/sap/sap-inventory.options.ts';
import { cachedInventoryPorts } from './ports/cached-inventory-ports.ts';
import type { InventoryPorts } from './ports/inventory-ports.ts';
import { createInventoryServer } from './server.ts';

/** What tests and benchmarks replace in an inventory subgraph assembled from a config. */
export type InventoryOverrides = {
  /** The ERP client of the SAP adapters, instead of one made from the config (the caller closes it). */
  erp?: BackendClient;
  /** Adapters used instead of the SAP ones, port by port; they sit behind the cache all the same. */
  adapters?: Partial<InventoryPorts>;
  /** The cache, instead of the one the config chooses (the caller closes it); null: none. */
  cache?: Cache | null;
  /** Settings of the SAP adapters (sellable storage locations, chunk sizes, log...). Default theirs. */
  sap?: Omit<SapInventoryOptions, 'client'>;
  /** ATP at or below this many base units is LOW_STOCK. Default the server's (5). */
  lowStockThreshold?: number | string;
};

export type AssembledInventorySubgraph = {
  name: 'inventory';
  /** The ports the server reads, as wired: adapters behind the cache. */
  ports: InventoryPorts;
  /** Builds the schema and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
  /** Closes what assembly opened (ERP client, cache), after the server closed. */
  dispose(): Promise<void>;
};

/**
 * The one composition root of the inventory subgraph: from its config builds the SAP adapters
 * (ERP client from `erpUrl`), puts each port behind the cache (Redis when `redisUrl` is set, else
 * in-process; TTLs `cacheTtlMs`) and the server on top. index.ts, the tests and the benchmarks
 * assemble through it. Opens the cache's Redis connection, nothing else (no listening).
 */
export function assembleInventorySubgraph(
  config: SubgraphConfig,
  overrides: InventoryOverrides = {},
): AssembledInventorySubgraph {
  const closers: (() => Promise<void>)[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((close) => close()));
  };
  try {
    const adapters = overrides.adapters ?? {};
    let sap: InventoryPorts | undefined;
    const sapPorts = (): InventoryPorts => {
      if (!sap) {
        let erp = overrides.erp;
        if (!erp) {
          const owned = createErpClient(config);
          closers.push(() => owned.close());
          erp = owned;
        }
        sap = createSapInventoryPorts({ ...overrides.sap, client: erp });
      }
      return sap;
    };
    const raw: InventoryPorts = {
      stock: adapters.stock ?? sapPorts().stock,
      locations: adapters.locations ?? sapPorts().locations,
    };
    const ttl = config.cacheTtlMs;
    let cache = overrides.cache;
    if (cache === undefined && (ttl.stock > 0 || ttl.locations > 0)) {
      const owned = createSubgraphCache(config, 'inventory');
      closers.push(() => owned.close());
      cache = owned;
    }
    const ports = cache ? cachedInventoryPorts(raw, cache, ttl) : raw;
    const server = createInventoryServer({
      principalSecrets: config.principalSecrets,
      ports,
      ...(overrides.lowStockThreshold !== undefined
        ? { lowStockThreshold: overrides.lowStockThreshold }
        : {}),
    });
    return {
      name: 'inventory',
      ports,
      listen: (port, host) => server.listen(port, host),
      dispose,
    };
  } catch (error) {
    void dispose();
    throw error;
  }
}
