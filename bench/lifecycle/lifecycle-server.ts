/**
 * Child process of bench/lifecycle/lifecycle.ts: the promotion subgraph wired as
 * subgraphs/promotion/index.ts wires it (storage → relay → in-process bus, durable dispatcher,
 * webhook publisher), on port 0, with its own event loop so the load generator does not share it.
 * Differences from index.ts: the readiness gate is a stub that passes every check (the pricing,
 * inventory and funding subgraphs are not started), and the bus is always in-process.
 */
import { createDurableDispatcher } from '../../subgraphs/promotion/delivery/durable-dispatcher.ts';
import { InMemoryEventBus } from '../../subgraphs/promotion/in-memory-event-bus.ts';
import type { ReadinessGate } from '../../subgraphs/promotion/readiness-gate.ts';
import { createPromotionServer } from '../../subgraphs/promotion/server.ts';
import { createPromotionStorage } from '../../subgraphs/promotion/storage/promotion-storage.ts';
import { createBackendClient } from '../../subgraphs/shared/backend-client.ts';
import { ReadinessArea } from '../../subgraphs/shared/canonical/enums.ts';

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
const erp = createBackendClient({ name: 'erp', baseUrl: args.erpUrl, timeoutMs: 2000 });
const eventBus = new InMemoryEventBus();
const storage = await createPromotionStorage({
  ...(args.databaseUrl ? { databaseUrl: args.databaseUrl } : {}),
  bus: eventBus,
});
const server = createPromotionServer({
  erp,
  principalSecrets: [args.principalSecret],
  readinessGate: PASSING_GATE,
  channels: { baseUrl: args.channelsUrl, signingSecret: args.channelSecret },
  repository: storage.repository,
  eventBus,
  dispatcher: ({ publisher, clock }) =>
    createDurableDispatcher({ db: storage.db, repository: storage.repository, publisher, clock }),
});
const running = await server.listen(0, '127.0.0.1');
process.send!({ type: 'ready', url: running.url });

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    process.send!({ type: 'cpu', usage: process.cpuUsage() });
  } else if (message.type === 'stop') {
    void (async () => {
      await running.close();
      await storage.close();
      await erp.close();
      process.send!({ type: 'stopped' }, () => process.exit(0));
    })();
  }
});
