/**
 * Promotion lifecycle benchmark: createPromotionDraft throughput and time from approval to all
 * channels acknowledged, on PGlite and on PostgreSQL, through the promotion subgraph's GraphQL
 * API over HTTP (and graphql-ws for the acknowledgements).
 *
 *   npx tsx bench/lifecycle/lifecycle.ts [--stores pglite,postgres] [--sequential 200]
 *     [--concurrent 400] [--clients 8] [--promotions 50] [--pg-url URL] [--out bench/results]
 *
 * This process runs the emulated ERP and channels (backends/) and the load; the subgraph runs in
 * a child (lifecycle-server.ts). PostgreSQL gets a random schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackendsServer, type RunningBackends } from '../../backends/server.ts';
import {
  forEachStore,
  machine,
  startSubgraphChild,
  writeReport,
  type Skipped,
} from './bench-stores.ts';
import { createLifecycleClient } from './lifecycle-client.ts';
import type { LifecycleServerArgs } from './lifecycle-server.ts';
import { measureApprovalToAck, measureCreates } from './lifecycle-measure.ts';
import { formatTable, type StoreResult } from './lifecycle-report.ts';

const { values: args } = parseArgs({
  options: {
    stores: { type: 'string', default: 'pglite,postgres' },
    sequential: { type: 'string', default: '200' },
    concurrent: { type: 'string', default: '400' },
    clients: { type: 'string', default: '8' },
    promotions: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '30' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    out: { type: 'string', default: join(import.meta.dirname, '..', 'results') },
  },
});
const PRINCIPAL_SECRET = `lifecycle-bench-${randomBytes(16).toString('hex')}`;
const CHANNEL_SECRET = 'lifecycle-bench-channel-secret';
/** Each channel received one acknowledged message per promotion of the run: nothing lost. */
function checkInboxes(backends: RunningBackends, promotions: number): void {
  for (const channel of ['ecommerce', 'mobile', 'pos'] as const) {
    const received = backends.state.channels.received(channel);
    const acked = received.filter((m) => m.verdict.status === 200).length;
    if (received.length !== promotions || acked !== promotions) {
      throw new Error(
        `${channel} received ${received.length} (${acked} acknowledged), expected ${promotions}`,
      );
    }
  }
}

async function runStore(
  store: string,
  backends: RunningBackends,
  databaseUrl: string | undefined,
): Promise<StoreResult> {
  const serverArgs: LifecycleServerArgs = {
    ...(databaseUrl ? { databaseUrl } : {}),
    erpUrl: backends.url,
    channelsUrl: `${backends.url}/channels`,
    principalSecret: PRINCIPAL_SECRET,
    channelSecret: CHANNEL_SECRET,
  };
  const { url, child, stop } = await startSubgraphChild(store, serverArgs);
  try {
    const client = createLifecycleClient(url, PRINCIPAL_SECRET);
    await client.connect();
    let n = 0;
    const take = (count: number) => ((n += count), n - count);
    const warmup = Number(args.warmup);
    await measureCreates(client, child, warmup, 1, take(warmup));
    const sequential = Number(args.sequential);
    const concurrent = Number(args.concurrent);
    const promotions = Number(args.promotions);
    console.log(`${store}: createPromotionDraft x${sequential}, sequential`);
    const seq = await measureCreates(client, child, sequential, 1, take(sequential));
    console.log(`${store}: createPromotionDraft x${concurrent}, ${args.clients} clients`);
    const conc = await measureCreates(
      client,
      child,
      concurrent,
      Number(args.clients),
      take(concurrent),
    );
    console.log(`${store}: approval → 3 channels ACKNOWLEDGED x${promotions}`);
    backends.state.reset();
    const ack = await measureApprovalToAck(client, child, promotions, take(promotions));
    checkInboxes(backends, promotions);
    await client.close();
    return { store, createSequential: seq, createConcurrent: conc, approvalToAck: ack };
  } finally {
    await stop();
  }
}

const backends = await createBackendsServer({
  seed: { skus: 200, locations: 10, vendors: 5 },
  channelSigningSecret: CHANNEL_SECRET,
}).listen(0);
const startedAt = new Date();
let results: (StoreResult | Skipped)[] = [];
try {
  results = await forEachStore(args.stores, args['pg-url'], 'bench_lifecycle', (store, url) =>
    runStore(store, backends, url),
  );
} finally {
  await backends.close();
}

const report = {
  benchmark: 'promotion lifecycle',
  startedAt: startedAt.toISOString(),
  machine: machine(),
  setup: {
    api: 'promotion subgraph GraphQL over HTTP (acknowledgements: graphql-ws subscription)',
    readinessGate:
      'stub that passes every check (pricing, inventory, funding subgraphs not started)',
    eventBus: 'in-process',
    dispatcher: 'createDurableDispatcher with its defaults',
    backends: 'emulated ERP and channels (backends/), no injected latency, every channel healthy',
  },
  options: args,
  results,
};
const file = writeReport(args.out, 'lifecycle', startedAt, report);
console.log(`\n${formatTable(results)}\n\nwritten: ${file}`);
