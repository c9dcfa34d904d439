/**
 * Redemption ingestion benchmark: sales lines per second one promotion subgraph instance records
 * through `recordRedemptions`, on PGlite and on PostgreSQL, for new lines and for a replayed feed
 * (every line a duplicate), with the feed's latency and the instance's CPU.
 *
 *   npx tsx bench/redemptions/redemptions.ts [--stores pglite,postgres] [--feeds 200]
 *     [--lines 500] [--clients 4] [--pg-url URL] [--out bench/results]
 *
 * This process runs the emulated ERP and channels (backends/) and the load; the subgraph runs in
 * a child (bench/lifecycle/lifecycle-server.ts) so the load generator does not share its event
 * loop. One promotion is published to POS first (the channel must have confirmed it); every feed
 * is `--lines` lines of it. The result is checked: Promotion.performance counts every line once.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createBackendsServer, type RunningBackends } from '../../backends/server.ts';
import { createPrincipalSigner, PRINCIPAL_HEADER } from '../../gateway/forward-principal.ts';
import { summarize, type Summary } from '../lifecycle/lifecycle-client.ts';
import type { LifecycleServerArgs } from '../lifecycle/lifecycle-server.ts';
import {
  forEachStore,
  machine,
  message,
  startSubgraphChild,
  writeReport,
  type Skipped,
} from '../lifecycle/bench-stores.ts';

const { values: args } = parseArgs({
  options: {
    stores: { type: 'string', default: 'pglite,postgres' },
    feeds: { type: 'string', default: '200' },
    lines: { type: 'string', default: '500' },
    clients: { type: 'string', default: '4' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    out: { type: 'string', default: join(import.meta.dirname, '..', 'results') },
  },
});
const PRINCIPAL_SECRET = `redemption-bench-${randomBytes(16).toString('hex')}`;
const CHANNEL_SECRET = 'redemption-bench-channel-secret';
/** What the walk needs: draft, approve, publish, read, and the feed itself. */
const SCOPES = [
  'promotion:read',
  'promotion:write',
  'promotion:approve',
  'promotion:publish',
  'redemptions:write',
];
const FEEDS = Number(args.feeds);
const LINES = Number(args.lines);
const CLIENTS = Number(args.clients);

type Pass = { lines: number; seconds: number; linesPerSecond: number; feedMs: Summary };
type StoreResult = {
  store: string;
  fresh: Pass & { serverCpuPct: number };
  replay: Pass & { serverCpuPct: number };
};

function client(url: string) {
  const sign = createPrincipalSigner({ secret: PRINCIPAL_SECRET });
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: sign({ subject: 'bench-feed', tokenClass: 'internal', scopes: SCOPES }),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (res.status !== 200 || body.errors) {
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
    }
    return body.data!;
  };
}

/** A promotion live in POS now (published, acknowledged), for SKU000001..SKU000010. */
async function livePromotion(gql: ReturnType<typeof client>): Promise<string> {
  const now = Date.now();
  const created = await gql<{ createPromotionDraft: { promotion: { id: string } } }>(
    `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
    {
      input: {
        name: 'Redemption bench',
        offer: { kind: 'PERCENT_OFF', percentOff: '10' },
        scope: {
          skus: Array.from({ length: 10 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`),
        },
        eligibility: { channels: ['POS'] },
        window: {
          startsAt: new Date(now - 3_600_000).toISOString(),
          endsAt: new Date(now + 86_400_000).toISOString(),
          timeZone: 'UTC',
        },
        stacking: { mode: 'STACKABLE', priority: 1 },
      },
    },
  );
  const id = created.createPromotionDraft.promotion.id;
  await gql(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
  await gql(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
  await gql(
    `mutation { publishToChannels(promotionId: "${id}", channels: [POS]) { eventCursor } }`,
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { promotion } = await gql<{ promotion: { channels: { publishedVersion: number }[] } }>(
      `{ promotion(id: "${id}") { channels { publishedVersion } } }`,
    );
    if (promotion.channels.every((c) => c.publishedVersion !== null)) return id;
    if (Date.now() > deadline) throw new Error('POS did not acknowledge within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const RECORD = `mutation ($lines: [RedemptionLineInput!]!) {
  recordRedemptions(channel: POS, lines: $lines) { recorded duplicates rejected { code message } }
}`;

function feed(promotionId: string, n: number): Record<string, unknown>[] {
  const soldAt = new Date(Date.now() - 60_000).toISOString();
  return Array.from({ length: LINES }, (_, i) => ({
    transactionId: `BENCH-${n}-${Math.floor(i / 4)}`,
    lineNumber: (i % 4) + 1,
    promotionId,
    sku: `SKU${String((i % 10) + 1).padStart(6, '0')}`,
    locationId: `S${String((i % 5) + 1).padStart(3, '0')}`,
    quantity: '1',
    discount: { amount: '0.25', currency: 'EUR' },
    soldAt,
  }));
}

async function childCpuMicros(child: ChildProcess): Promise<number> {
  child.send({ type: 'cpu' });
  const { usage } = await message<{ usage: NodeJS.CpuUsage }>(child, 'cpu');
  return usage.user + usage.system;
}

/** Sends every feed with CLIENTS at a time; checks each answer counts all its lines as `expect`. */
async function pass(
  gql: ReturnType<typeof client>,
  child: ChildProcess,
  feeds: Record<string, unknown>[][],
  expect: 'recorded' | 'duplicates',
): Promise<Pass & { serverCpuPct: number }> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = await childCpuMicros(child);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < feeds.length) {
        const lines = feeds[next++]!;
        const start = performance.now();
        const data = await gql<{
          recordRedemptions: { recorded: number; duplicates: number; rejected: unknown[] };
        }>(RECORD, { lines });
        latencies.push(performance.now() - start);
        const result = data.recordRedemptions;
        if (result[expect] !== lines.length || result.rejected.length) {
          throw new Error(`expected ${lines.length} ${expect}, got ${JSON.stringify(result)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (await childCpuMicros(child)) - cpu0;
  const total = feeds.length * LINES;
  return {
    lines: total,
    seconds: Math.round(seconds * 100) / 100,
    linesPerSecond: Math.round(total / seconds),
    feedMs: summarize(latencies),
    serverCpuPct: Math.round(cpu / 1e4 / seconds),
  };
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
    const gql = client(url);
    const id = await livePromotion(gql);
    // Warm-up: 10 feeds of other transactions, not measured.
    await pass(
      gql,
      child,
      Array.from({ length: 10 }, (_, n) => feed(id, -1 - n)),
      'recorded',
    );
    const feeds = Array.from({ length: FEEDS }, (_, n) => feed(id, n));
    console.log(`${store}: ${FEEDS} feeds x ${LINES} lines, ${CLIENTS} clients (new lines)`);
    const fresh = await pass(gql, child, feeds, 'recorded');
    console.log(`${store}: the same feeds again (every line a duplicate)`);
    const replay = await pass(gql, child, feeds, 'duplicates');
    const { promotion } = await gql<{ promotion: { performance: { totals: { lines: number } } } }>(
      `{ promotion(id: "${id}") { performance { totals { lines } } } }`,
    );
    const expected = (FEEDS + 10) * LINES;
    if (promotion.performance.totals.lines !== expected) {
      throw new Error(
        `performance counts ${promotion.performance.totals.lines}, expected ${expected}`,
      );
    }
    return { store, fresh, replay };
  } finally {
    await stop();
  }
}

const backends = await createBackendsServer({
  seed: { skus: 50, locations: 10, vendors: 2 },
  channelSigningSecret: CHANNEL_SECRET,
}).listen(0);
const startedAt = new Date();
let results: (StoreResult | Skipped)[] = [];
try {
  results = await forEachStore(args.stores, args['pg-url'], 'bench_redemptions', (store, url) =>
    runStore(store, backends, url),
  );
} finally {
  await backends.close();
}

const report = {
  benchmark: 'redemption ingestion',
  startedAt: startedAt.toISOString(),
  machine: machine(),
  setup: {
    api: 'promotion subgraph recordRedemptions over HTTP (one instance, its own process)',
    feed: `${LINES} lines per call, ${CLIENTS} concurrent callers`,
  },
  options: args,
  results,
};
const file = writeReport(args.out, 'redemptions', startedAt, report);
for (const r of results) {
  if ('skipped' in r) {
    console.log(`${r.store}: skipped (${r.skipped})`);
    continue;
  }
  for (const [kind, p] of [
    ['new', r.fresh],
    ['replayed', r.replay],
  ] as const) {
    console.log(
      `${r.store.padEnd(9)} ${kind.padEnd(9)} ${String(p.linesPerSecond).padStart(7)} lines/s  feed p50 ${p.feedMs.p50} ms p99 ${p.feedMs.p99} ms  server CPU ${p.serverCpuPct} %`,
    );
  }
}
console.log(`\nwritten: ${file}`);
