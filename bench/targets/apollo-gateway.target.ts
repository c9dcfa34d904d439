import { join } from 'node:path';
import { TYPENAME_PROBE, type BenchTarget } from './bench-target.ts';

/** (c) stock @apollo/gateway + @apollo/server standalone (bench/peers/apollo-gateway.ts). */
export const apolloGatewayTarget: BenchTarget = {
  id: 'c',
  label: 'stock @apollo/gateway',
  unavailable: () => undefined,
  async start(context) {
    const port = await context.freePort();
    const child = context.startChild({
      name: 'stock @apollo/gateway',
      command: process.execPath,
      args: ['--import', 'tsx', join(context.benchRoot, 'peers/apollo-gateway.ts')],
      cwd: context.repoRoot,
      env: {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        SUPERGRAPH_PATH: context.scenario.strippedSupergraphPath ?? context.scenario.supergraphPath,
      },
    });
    const url = `http://127.0.0.1:${port}/`;
    await context.waitForHttp(child, url, TYPENAME_PROBE);
    return { url, pids: [child.pid], stop: child.stop };
  },
};
