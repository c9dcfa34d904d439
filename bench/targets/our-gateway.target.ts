import { join } from 'node:path';
import type { BenchTarget } from './bench-target.ts';

/**
 * Switches that turn our gateway's protections off for target (b). Today only authentication has
 * one (AUTH_DISABLED, gateway/config.ts); throttling and operation limits add theirs here.
 */
const PROTECTIONS_OFF: Record<string, string> = { AUTH_DISABLED: 'true' };

function ourGateway(id: string, label: string, env: Record<string, string>): BenchTarget {
  return {
    id,
    label,
    unavailable: () => undefined,
    async start(context) {
      const port = await context.freePort();
      const child = context.startChild({
        name: label,
        command: process.execPath,
        args: ['--import', 'tsx', join(context.repoRoot, 'gateway/index.ts')],
        cwd: context.repoRoot,
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          SUPERGRAPH_PATH: context.scenario.supergraphPath,
          AUTH_DISABLED: 'false',
          ...context.scenario.ourGatewayEnv,
          ...env,
        },
      });
      await context.waitForHttp(child, `http://127.0.0.1:${port}/health/live`, {});
      return { url: `http://127.0.0.1:${port}/graphql`, pids: [child.pid], stop: child.stop };
    },
  };
}

/** (a) gateway/index.ts as deployed: authentication (and later throttling, limits) on. */
export const ourGatewayTarget = ourGateway('a', 'ours (auth on)', {});

/** (b) gateway/index.ts with its protections switched off. */
export const ourGatewayOpenTarget = ourGateway('b', 'ours (auth off)', PROTECTIONS_OFF);
