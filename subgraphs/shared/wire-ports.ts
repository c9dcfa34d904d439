import type { BackendClient } from './backend-client.ts';
import type { Cache } from './cache/cache.ts';
import { createSubgraphCache } from './cache/create-cache.ts';
import type { SubgraphConfig, SubgraphName } from './config.ts';
import { createErpClient } from './run-subgraph.ts';
import type { SubgraphMetricsOptions } from './subgraph-metrics.ts';
import type { RunningSubgraph } from './subgraph-server.ts';

/** What tests and benchmarks replace in the ports a subgraph assembles from its config. */
export type PortOverrides<Ports> = {
  /** The ERP client of the SAP adapters, instead of one made from the config (the caller closes it). */
  erp?: BackendClient;
  /** Adapters used instead of the SAP ones, port by port; they sit behind the cache all the same. */
  adapters?: Partial<Ports>;
  /** The cache, instead of the one the config chooses (the caller closes it); null: none. */
  cache?: Cache | null;
};

export type PortWiring<Ports> = {
  subgraph: SubgraphName;
  /** Every port's name: the SAP adapters are built only if one of them is not overridden. */
  portNames: readonly (keyof Ports)[];
  /** Builds the SAP adapters over the ERP client. */
  sap: (erp: BackendClient) => Ports;
  /** Whether any port of this subgraph is cached with the config's TTLs. */
  cacheWanted: boolean;
  /** Puts each port behind the cache (the subgraph's caching decorators). */
  cached: (raw: Ports, cache: Cache) => Ports;
};

export type WiredPorts<Ports> = {
  /** The ports the server reads: adapters behind the cache. */
  ports: Ports;
  /** GET /metrics: the config's token, the ERP client the adapters call and the cache, if any. */
  metrics: SubgraphMetricsOptions;
  /** Closes what wiring opened (ERP client, cache); what the caller passed in stays open. */
  dispose(): Promise<void>;
};

/**
 * The part every port-based subgraph's composition root shares: adapters (the SAP ones unless
 * overridden, over an ERP client made from the config), then the cache the config chooses (Redis
 * when `redisUrl` is set, else in-process) in front of every port. Opens the cache's Redis
 * connection, nothing else; on a failure it closes what it opened and rethrows.
 */
export function wirePorts<Ports extends object>(
  config: SubgraphConfig,
  wiring: PortWiring<Ports>,
  overrides: PortOverrides<Ports>,
): WiredPorts<Ports> {
  const closers: (() => Promise<void>)[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(closers.splice(0).map((close) => close()));
  };
  try {
    const adapters: Partial<Ports> = overrides.adapters ?? {};
    let sap: Ports | undefined;
    let erp: BackendClient | undefined;
    const sapPorts = (): Ports => {
      if (!sap) {
        erp = overrides.erp;
        if (!erp) {
          const owned = createErpClient(config);
          closers.push(() => owned.close());
          erp = owned;
        }
        sap = wiring.sap(erp);
      }
      return sap;
    };
    const raw = Object.fromEntries(
      wiring.portNames.map((name) => [name, adapters[name] ?? sapPorts()[name]]),
    ) as Ports;
    let cache = overrides.cache;
    if (cache === undefined && wiring.cacheWanted) {
      const owned = createSubgraphCache(config, wiring.subgraph);
      closers.push(() => owned.close());
      cache = owned;
    }
    const metrics: SubgraphMetricsOptions = {
      ...(config.metricsToken ? { token: config.metricsToken } : {}),
      ...(erp ? { backends: [erp] } : {}),
      ...(cache ? { caches: [cache] } : {}),
    };
    return { ports: cache ? wiring.cached(raw, cache) : raw, metrics, dispose };
  } catch (error) {
    void dispose();
    throw error;
  }
}

/** What a port-based subgraph's composition root returns. */
export type AssembledPortSubgraph<Name extends SubgraphName, Ports> = {
  name: Name;
  /** The ports the server reads, as wired: adapters behind the cache. */
  ports: Ports;
  /** Builds the schema and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
  /** Closes what assembly opened (ERP client, cache), after the server closed. */
  dispose(): Promise<void>;
};

/**
 * Puts the server on the wired ports; if building it fails (a bad setting), closes what the
 * wiring opened and rethrows.
 */
export function withServer<Name extends SubgraphName, Ports>(
  name: Name,
  wired: WiredPorts<Ports>,
  createServer: (
    ports: Ports,
    metrics: SubgraphMetricsOptions,
  ) => { listen(port: number, host?: string): Promise<RunningSubgraph> },
): AssembledPortSubgraph<Name, Ports> {
  try {
    const server = createServer(wired.ports, wired.metrics);
    return {
      name,
      ports: wired.ports,
      listen: (port, host) => server.listen(port, host),
      dispose: wired.dispose,
    };
  } catch (error) {
    void wired.dispose();
    throw error;
  }
}
