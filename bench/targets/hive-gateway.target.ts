import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TYPENAME_PROBE, type BenchTarget } from './bench-target.ts';

const HIVE = 'node_modules/@graphql-hive/gateway';
const ROUTER_RUNTIME = 'node_modules/@graphql-hive/router-runtime';

/**
 * (d) Hive Gateway from bench/node_modules, one worker (`--fork 1`), with its `--jit` flag as the
 * public benchmark runs its JS runtime, or with `--hive-router-runtime` (Hive Router's Rust query
 * planner and executor as a native addon). Config: bench/peers/hive-gateway.config.ts.
 */
function hiveGateway(id: string, label: string, runtimeFlag: string): BenchTarget {
  const routerRuntime = runtimeFlag === '--hive-router-runtime';
  return {
    id,
    label,
    unavailable(_scenario, benchRoot) {
      if (!existsSync(join(benchRoot, HIVE, 'package.json'))) {
        return '@graphql-hive/gateway is not installed in bench/node_modules (npm run bench installs it)';
      }
      if (routerRuntime && !existsSync(join(benchRoot, ROUTER_RUNTIME, 'package.json'))) {
        return '@graphql-hive/router-runtime is not installed in bench/node_modules';
      }
      return undefined;
    },
    async start(context) {
      const port = await context.freePort();
      const child = context.startChild({
        name: label,
        command: process.execPath,
        args: [
          join(context.benchRoot, HIVE, 'dist/bin.js'),
          'supergraph',
          context.scenario.supergraphPath,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--fork',
          '1',
          '--config-path',
          join(context.benchRoot, 'peers/hive-gateway.config.ts'),
          runtimeFlag,
        ],
        cwd: context.benchRoot,
        env: { NODE_ENV: 'production' },
      });
      const url = `http://127.0.0.1:${port}/graphql`;
      await context.waitForHttp(child, url, TYPENAME_PROBE);
      // Without the package Hive only warns and falls back to its JS runtime: refuse to mislabel.
      if (
        routerRuntime &&
        /Could not load the @graphql-hive\/router-runtime/.test(child.logTail())
      ) {
        await child.stop();
        throw new Error(`${label}: Hive fell back to its JS runtime:\n${child.logTail()}`);
      }
      return { url, pids: [child.pid], stop: child.stop };
    },
  };
}

export const hiveGatewayTarget = hiveGateway('d', 'Hive Gateway (JS, --jit)', '--jit');
export const hiveRouterRuntimeTarget = hiveGateway(
  'd-router',
  'Hive Gateway (router runtime)',
  '--hive-router-runtime',
);
