import { readFileSync } from 'node:fs';
import { assembleGateway } from '../../../gateway/assemble.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import type { SubscriptionTuning } from '../../../gateway/gateway-subscriptions.ts';
import { testGatewayOverrides, type TestStack } from '../../helpers/stack.ts';

export const SUPERGRAPH_SDL = readFileSync('contracts/supergraph.graphql', 'utf8');

export type SubscriptionGateway = {
  /** `http://127.0.0.1:<port>/graphql`: graphql-ws and SSE; `/metrics` next to it. */
  url: string;
  /** The running gateway's reload: the new supergraph for queries and subscriptions alike. */
  reload(supergraphSdl: string): Promise<{ continued: number; ended: number }>;
  close(): Promise<void>;
};

/**
 * A second gateway on the stack's subgraphs, assembled as the stack's, so a test can reach what
 * the stack does not expose: `reload`, the subscription buffer limits, its own metrics.
 */
export async function startSubscriptionGateway(
  stack: TestStack,
  tuning: SubscriptionTuning = {},
): Promise<SubscriptionGateway> {
  const assembled = assembleGateway(readGatewayConfig({}), {
    ...testGatewayOverrides(
      Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
    ),
    subscriptions: tuning,
  });
  const running = await assembled.server.listen(0);
  return {
    url: running.url,
    reload: (supergraphSdl) => running.reload(supergraphSdl),
    async close() {
      await running.close();
      await assembled.close();
    },
  };
}
