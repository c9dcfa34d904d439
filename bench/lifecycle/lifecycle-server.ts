/**
 * Child process of bench/lifecycle/lifecycle.ts: the promotion subgraph assembled as
 * subgraphs/promotion/index.ts assembles it (storage → relay → in-process bus, durable
 * dispatcher, webhook publisher), on port 0, with its own event loop so the load generator does
 * not share it. Differences from index.ts: the readiness gate is a stub that passes every check
 * and there is no funding directory (the pricing, inventory and funding subgraphs are not
 * started), and the bus is always in-process.
 */
import { assemblePromotionSubgraph } from '../../subgraphs/promotion/assemble.ts';
import type { ReadinessGate } from '../../subgraphs/promotion/readiness/readiness-gate.ts';
import { ReadinessArea } from '../../subgraphs/shared/canonical/enums.ts';
import { readSubgraphConfig } from '../../subgraphs/shared/config.ts';

export type LifecycleServerArgs = {
  /** PostgreSQL connection string; PGlite in memory when absent. */
  databaseUrl?: string;
  erpUrl: string;
  channelsUrl: string;
  principalSecret: string;
  channelSecret: string;
};

const PASSING_GATE: ReadinessGate = {
  check: async () =>
    [ReadinessArea.PRICING, ReadinessArea.INVENTORY, ReadinessArea.FUNDING].map((area) => ({
      area,
      passed: true,
      summary: 'bench stub: passed',
      findings: [],
    })),
};

const args = JSON.parse(process.argv[2]!) as LifecycleServerArgs;
const subgraph = await assemblePromotionSubgraph(
  {
    ...readSubgraphConfig({}),
    erpUrl: args.erpUrl,
    channelsUrl: args.channelsUrl,
    channelSigningSecret: args.channelSecret,
    principalSecrets: [args.principalSecret],
    databaseUrl: args.databaseUrl,
  },
  { readinessGate: PASSING_GATE, fundingAgreements: null },
);
const running = await subgraph.listen(0, '127.0.0.1');
process.send!({ type: 'ready', url: running.url });

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    process.send!({ type: 'cpu', usage: process.cpuUsage() });
  } else if (message.type === 'stop') {
    void (async () => {
      await running.close();
      await subgraph.dispose();
      process.send!({ type: 'stopped' }, () => process.exit(0));
    })();
  }
});
