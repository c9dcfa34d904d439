import { createBackendClient, type BackendClient } from './backend-client.ts';
import { readSubgraphConfig, type SubgraphConfig, type SubgraphName } from './config.ts';
import type { RunningSubgraph } from './subgraph-server.ts';

export type StartableSubgraph = {
  listen(port: number, host?: string): Promise<RunningSubgraph>;
  /** Releases what the starter opened besides the server (database, Redis), after it closed. */
  dispose?: () => Promise<void>;
};

export type SubgraphStarter = (deps: {
  config: SubgraphConfig;
  erp: BackendClient;
}) => StartableSubgraph | Promise<StartableSubgraph>;

/** The client of the subgraph's ERP, from its config (base URL, per-attempt timeout). */
export function createErpClient(
  config: Pick<SubgraphConfig, 'erpUrl' | 'backendTimeoutMs'>,
): BackendClient {
  return createBackendClient({
    name: 'erp',
    baseUrl: config.erpUrl,
    timeoutMs: config.backendTimeoutMs,
  });
}

/**
 * What every subgraph's index.ts does: read the config, open the ERP client, listen on the
 * subgraph's port, print one line, and close cleanly on SIGINT/SIGTERM.
 */
export async function runSubgraph(
  name: SubgraphName,
  start: SubgraphStarter,
  note: string | ((config: SubgraphConfig) => string) = '',
): Promise<void> {
  let config: SubgraphConfig;
  try {
    config = readSubgraphConfig(undefined, name); // process.env, with the checks `name` needs
  } catch (error) {
    // Config fails loudly with a message a new user can act on, not a stack trace.
    console.error(`[${name}] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  const erp = createErpClient(config);
  const server = await start({ config, erp });
  const running = await server.listen(config.ports[name], config.host);
  // Installed before "listening" is printed (until a listener exists SIGTERM kills outright);
  // `on`, not `once`, and a second signal is ignored while shutting down.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      running
        .close()
        .then(() => server.dispose?.())
        .then(() => erp.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`[${name}] shutdown failed`, error);
            process.exit(1);
          },
        );
    });
  }
  const remark = typeof note === 'function' ? note(config) : note;
  console.log(`${name} subgraph listening on ${running.url}${remark ? ` (${remark})` : ''}`);
}
