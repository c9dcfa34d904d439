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
  try {
    const config = readGatewayConfig();
    return { config, ...assembleGateway(config) };
  } catch (error) {
    // Config fails loudly with a message a new user can act on (file:line: field: problem).
    console.error(`[gateway] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

const { config, server, supergraph, close } = assembleOrExit();
// `npm ci` builds the control tower and GraphiQL; in development a missing or stale one is built
// here (never fatal: the page answers 503 naming the command while there is none).
const log = (line: string) => console.log(line);
if (config.environment === 'development') {
  await buildTowerIfStale(log);
  if (config.graphiql) await buildGraphiqlIfStale(log);
} else {
  if (towerBundleState() === 'missing') {
    console.warn(
      `[gateway] the control tower is not built: /tower answers 503 until \`${BUILD_TOWER_COMMAND}\``,
    );
  }
  if (config.graphiql && graphiqlBundleState() === 'missing') {
    console.warn(
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
        console.log(
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
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('[gateway] shutdown failed', error);
          process.exit(1);
        },
      );
  });
}
console.log(`gateway listening on ${running.url}`);
