/**
 * Subscription latency and memory at many subscribers (a script, not a test):
 *   npx tsx bench/subscriptions/latency.ts [--subscribers 1000] [--transitions 20] [--federated]
 * Starts the test federation in one child process and a gateway alone in another, opens
 * `--subscribers` graphql-ws subscriptions (one WebSocket each) through that gateway from this
 * process, commits `--transitions` promotion changes (draft creations, one after another), and
 * measures, per subscriber and transition, the time from the event's `occurredAt` (the commit)
 * and from the mutation's response to delivery; and the gateway's RSS / heap growth per
 * subscriber. Prints a table; writes bench/results/subscriptions-<timestamp>.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { loadAuthPolicy } from '../../policies/auth-policy.ts';
import { generateBenchSigningKey, randomSecret } from '../harness/bench-secrets.ts';
import { signBenchToken } from '../harness/bench-tokens.ts';
import { FEDERATED_SELECTION, PRIMARY_SELECTION, openSubscribers } from './subscribers.ts';
import { createDraft, latencySummary, type Summary } from './bench-helpers.ts';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    transitions: { type: 'string', default: '20' },
    federated: { type: 'boolean', default: false },
  },
});
const subscribers = Number(args.subscribers);
const transitions = Number(args.transitions);
const selection = args.federated ? FEDERATED_SELECTION : PRIMARY_SELECTION;

function child(file: string, argv: string[] = []): ChildProcess {
  return fork(new URL(file, import.meta.url).pathname, argv, {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}
async function message<T>(proc: ChildProcess, type: string): Promise<T> {
  for (;;) {
    const [msg] = (await once(proc, 'message')) as [{ type: string } & T];
    if (msg.type === type) return msg;
  }
}
type Memory = { rss: number; heapUsed: number; external: number };
async function memoryOf(proc: ChildProcess): Promise<Memory> {
  proc.send({ type: 'memory' });
  return (await message<{ usage: Memory }>(proc, 'memory')).usage;
}

// Both gateways run with environment 'production': they trust a key made for this run, not the
// development keys, and every token is signed with it; the run's principal secret is the
// subgraphs' too.
const signingKey = generateBenchSigningKey();
const principalSecret = randomSecret();
const stackProc = child('./stack-process.ts', [JSON.stringify(signingKey.jwks), principalSecret]);
const stack = await message<{
  gatewayUrl: string;
  allScopes: string[];
  subgraphUrls: Record<string, string>;
}>(stackProc, 'ready');
const authPolicy = loadAuthPolicy('policies/auth.yaml');
const tokenFor = (subject: string, scopes: string[]) =>
  signBenchToken(signingKey, {
    subject,
    tokenClass: 'internal',
    scopes,
    issuer: authPolicy.issuer,
    audience: authPolicy.audiences[0]!,
    ttlSeconds: 6 * 3600,
  });
const subscriberToken = tokenFor('bench-subscriber', stack.allScopes);
// Plus the readiness-override scope, which the promotion subgraph checks (no field carries it).
const internalToken = tokenFor('bench-internal', [
  ...stack.allScopes,
  'promotion:approve:override',
]);
const gatewayProc = child('./gateway-process.ts', [
  JSON.stringify(stack.subgraphUrls),
  JSON.stringify(signingKey.jwks),
  principalSecret,
]);
const gateway = await message<{ url: string }>(gatewayProc, 'ready');
const mutate = (name: string) => createDraft(stack.gatewayUrl, internalToken, name);

try {
  const start = await mutate('bench start');
  const baseline = await memoryOf(gatewayProc);
  const opened = Date.now();
  const pool = await openSubscribers({
    url: gateway.url,
    token: subscriberToken,
    count: subscribers,
    after: start.eventCursor,
    selection,
  });
  // Warm-up: every subscription is live upstream once all have this event.
  const warm = await mutate('bench warm-up');
  await pool.allReceived(warm.eventCursor);
  const connectSeconds = (Date.now() - opened) / 1000;
  const loaded = await memoryOf(gatewayProc);

  const fromCommit: number[] = [];
  const fromResponse: number[] = [];
  const perTransition: { cursor: string; p50Ms: number; p99Ms: number; maxMs: number }[] = [];
  for (let i = 0; i < transitions; i += 1) {
    const draft = await mutate(`bench ${i}`);
    const respondedAt = Date.now();
    await pool.allReceived(draft.eventCursor);
    const arrivals = pool.arrivals.get(draft.eventCursor)!;
    const lags = arrivals.map((a) => a.at - a.occurredAt);
    fromCommit.push(...lags);
    fromResponse.push(...arrivals.map((a) => a.at - respondedAt));
    const s = latencySummary(lags);
    perTransition.push({ cursor: draft.eventCursor, p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max });
  }
  const commit: Summary = latencySummary(fromCommit);
  const response: Summary = latencySummary(fromResponse);
  const perSubscriber = {
    rssBytes: Math.round((loaded.rss - baseline.rss) / subscribers),
    heapUsedBytes: Math.round((loaded.heapUsed - baseline.heapUsed) / subscribers),
  };
  const report = {
    kind: 'subscriptions-latency',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    subscribers,
    transitions,
    selection: args.federated ? 'federated (promotion + funding)' : 'primary (promotion only)',
    connectAndWarmUpSeconds: connectSeconds,
    latencyMs: { fromOccurredAt: commit, fromMutationResponse: response },
    perTransition,
    gatewayMemory: { baseline, loaded, perSubscriber },
    errors: pool.errors.length,
    notes:
      'One machine, 2 cores shared by the client sockets, the gateway, the subgraphs and other work: noisy. occurredAt has millisecond resolution and is set by the promotion subgraph before the commit returns.',
  };
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `\nsubscriptions: ${subscribers} graphql-ws subscribers, ${transitions} transitions, ${report.selection}`,
  );
  console.table({
    'occurredAt → delivery': {
      p50: ms(commit.p50),
      p99: ms(commit.p99),
      max: ms(commit.max),
      samples: commit.count,
    },
    'mutation response → delivery': {
      p50: ms(response.p50),
      p99: ms(response.p99),
      max: ms(response.max),
      samples: response.count,
    },
  });
  console.table({
    'gateway RSS': {
      baseline: `${(baseline.rss / 2 ** 20).toFixed(1)} MiB`,
      loaded: `${(loaded.rss / 2 ** 20).toFixed(1)} MiB`,
      'per subscriber': `${(perSubscriber.rssBytes / 1024).toFixed(1)} KiB`,
    },
    'gateway heap used': {
      baseline: `${(baseline.heapUsed / 2 ** 20).toFixed(1)} MiB`,
      loaded: `${(loaded.heapUsed / 2 ** 20).toFixed(1)} MiB`,
      'per subscriber': `${(perSubscriber.heapUsedBytes / 1024).toFixed(1)} KiB`,
    },
  });
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/subscriptions-${report.at.replace(/[:]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `written ${file}${pool.errors.length ? `; ${pool.errors.length} subscriber errors` : ''}`,
  );
  await pool.close();
} finally {
  gatewayProc.disconnect();
  stackProc.disconnect();
  await Promise.all([once(gatewayProc, 'exit'), once(stackProc, 'exit')]);
}
