import {
  announce,
  createLogger,
  setProcessLogger,
} from '../../contracts/runtime/telemetry/logger.ts';
import { startTracing, type Tracing } from '../../contracts/runtime/telemetry/tracing.ts';
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
 * What every subgraph's index.ts does: read the config, register the process's logger (JSON
 * lines at LOG_LEVEL) and, when OTEL_* turns it on, its tracer provider, open the ERP client,
 * listen on the subgraph's port, log one line (whatever LOG_LEVEL), and close cleanly on SIGINT/SIGTERM (exporting
 * the spans still buffered).
 */
export async function runSubgraph(
  name: SubgraphName,
  start: SubgraphStarter,
  note: string | ((config: SubgraphConfig) => string) = '',
): Promise<void> {
  let config: SubgraphConfig;
  let tracing: Tracing;
  try {
    config = readSubgraphConfig(undefined, name); // process.env, with the checks `name` needs
    tracing = startTracing(config.tracing);
  } catch (error) {
    // Config fails loudly with a message a new user can act on, not a stack trace: one plain
    // line on stderr, whatever the log settings (they may be what is wrong).
    console.error(`[${name}] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  const logger = createLogger({ service: name, level: config.logLevel });
  setProcessLogger(logger);
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
        .then(() => tracing.shutdown())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, `[${name}] shutdown failed`);
            process.exit(1);
          },
        );
    });
  }
  const remark = typeof note === 'function' ? note(config) : note;
  announce(
    logger,
    { url: running.url, tracing: tracing.enabled },
    `${name} subgraph listening on ${running.url}${remark ? ` (${remark})` : ''}`,
  );
}
