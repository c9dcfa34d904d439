import {
  announce,
  createLogger,
  setProcessLogger,
  type Logger,
} from '../contracts/runtime/telemetry/logger.ts';
import { startTracing, type Tracing } from '../contracts/runtime/telemetry/tracing.ts';
import { assembleGateway } from './assemble.ts';
import { readGatewayConfig } from './config.ts';
import {
  BUILD_GRAPHIQL_COMMAND,
  buildGraphiqlIfStale,
  graphiqlBundleState,
} from './graphiql/graphiql-bundle.ts';
import { BUILD_TOWER_COMMAND, buildTowerIfStale, towerBundleState } from './tower/tower-bundle.ts';
import { watchSupergraph } from './supergraph-watch.ts';

function assembleOrExit() {
  let tracing: Tracing | undefined;
  try {
    const config = readGatewayConfig();
    // The process's logger and tracer provider, before anything that logs or traces is built.
    const logger: Logger = createLogger({ service: 'gateway', level: config.logLevel });
    setProcessLogger(logger);
    tracing = startTracing(config.tracing);
    return { config, logger, tracing, ...assembleGateway(config) };
  } catch (error) {
    void tracing?.shutdown();
    // Config fails loudly with a message a new user can act on (file:line: field: problem): one
    // plain line on stderr, whatever the log settings (they may be what is wrong).
    console.error(`[gateway] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

const { config, logger, tracing, server, supergraph, close } = assembleOrExit();
// `npm ci` builds the control tower and GraphiQL; in development a missing or stale one is built
// here (never fatal: the page answers 503 naming the command while there is none).
const log = (line: string) => logger.info(line);
if (config.environment === 'development') {
  await buildTowerIfStale(log);
  if (config.graphiql) await buildGraphiqlIfStale(log);
} else {
  if (towerBundleState() === 'missing') {
    logger.warn(
      `[gateway] the control tower is not built: /tower answers 503 until \`${BUILD_TOWER_COMMAND}\``,
    );
  }
  if (config.graphiql && graphiqlBundleState() === 'missing') {
    logger.warn(
      `[gateway] GraphiQL is not built: /graphiql answers 503 until \`${BUILD_GRAPHIQL_COMMAND}\``,
    );
  }
}
const running = await server.listen(config.port, config.host);
// `npm run compose` (or a deploy) replacing the supergraph file applies without a restart.
const supergraphWatch = config.supergraphWatch
  ? watchSupergraph(
      config.supergraphPath,
      async (_sdl, next) => {
        const { continued, ended } = await running.reload(next);
        logger.info(
          `[gateway] supergraph reloaded from ${config.supergraphPath}: ${continued} subscription(s) continued, ${ended} ended`,
        );
      },
      { initialSdl: supergraph.sdl },
    )
  : undefined;
// Installed before "listening" is printed: until a listener exists, SIGTERM kills the process
// outright (a supervisor that stops it right after start would get no clean shutdown).
// `on`, not `once`, and a second signal is ignored while shutting down.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    supergraphWatch?.close();
    running
      .close()
      .then(() => close())
      .then(() => tracing.shutdown()) // exports the spans still buffered
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, '[gateway] shutdown failed');
          process.exit(1);
        },
      );
  });
}
announce(
  logger,
  { url: running.url, tracing: tracing.enabled },
  `gateway listening on ${running.url}`,
);
