import { createBackendClient, type BackendClient } from './backend-client.ts';
import { readSubgraphConfig, type SubgraphConfig, type SubgraphName } from './config.ts';
import type { RunningSubgraph } from './subgraph-server.ts';

export type SubgraphStarter = (deps: { config: SubgraphConfig; erp: BackendClient }) => {
  listen(port: number, host?: string): Promise<RunningSubgraph>;
};

/**
 * What every subgraph's index.ts does: read the config, open the ERP client, listen on the
 * subgraph's port, print one line, and close cleanly on SIGINT/SIGTERM.
 */
export async function runSubgraph(
  name: SubgraphName,
  start: SubgraphStarter,
  note = '',
): Promise<void> {
  const config = readSubgraphConfig();
  const erp = createBackendClient({
    name: 'erp',
    baseUrl: config.erpUrl,
    timeoutMs: config.backendTimeoutMs,
  });
  const running = await start({ config, erp }).listen(config.ports[name], config.host);
  console.log(`${name} subgraph listening on ${running.url}${note ? ` (${note})` : ''}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running
        .close()
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
}
