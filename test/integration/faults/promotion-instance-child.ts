/**
 * One whole promotion subgraph instance in its own process, for instance-killed.test.ts: the
 * composition root (assemblePromotionSubgraph) on the PostgreSQL schema INSTANCE_SCHEMA and on
 * Redis (INSTANCE_REDIS_URL, EVENT_KEY_PREFIX, CACHE_KEY_PREFIX), the emulated ERP and channels
 * at INSTANCE_BACKENDS_URL, a short dispatcher lease (INSTANCE_LEASE_MS) so a survivor takes over quickly, the owner
 * INSTANCE_OWNER and a delivery policy that retries without end. Prints `{"url": ...}` once it
 * listens; exits when its stdin closes (the parent is gone), so a failed test leaves no orphan.
 */
import { destination } from 'pino';
import { createLogger, setProcessLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { assemblePromotionSubgraph } from '../../../subgraphs/promotion/assemble.ts';
import { createPgDatabase } from '../../../subgraphs/promotion/storage/pg-database.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { FakeReadinessGate } from '../../unit/promotion/promotion-harness.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

/** The dispatcher lease: a killed instance's claims are free again after this. */
const LEASE_MS = Number(env('INSTANCE_LEASE_MS'));

// Log lines (warnings and up) go to stderr: stdout carries the URL line only.
setProcessLogger(
  createLogger({
    service: `promotion-${env('INSTANCE_OWNER')}`,
    level: 'warn',
    destination: destination({ dest: 2, sync: true }),
  }),
);

const backends = env('INSTANCE_BACKENDS_URL');
const db = createPgDatabase({
  connectionString: env('INSTANCE_PG_URL'),
  schema: env('INSTANCE_SCHEMA'),
  max: 10,
});
const subgraph = await assemblePromotionSubgraph(
  testSubgraphConfig({
    erpUrl: backends,
    channelsUrl: `${backends}/channels`,
    channelSigningSecret: env('INSTANCE_SECRET'),
    redisUrl: env('INSTANCE_REDIS_URL'),
    eventKeyPrefix: env('EVENT_KEY_PREFIX'),
    cacheKeyPrefix: env('CACHE_KEY_PREFIX'),
  }),
  {
    database: db,
    // Readiness is not under test (approval is overridden anyway); no other subgraph runs.
    readinessGate: new FakeReadinessGate(),
    fundingAgreements: null,
    relayPollIntervalMs: 100,
    delivery: {
      owner: env('INSTANCE_OWNER'),
      leaseMs: LEASE_MS,
      pollIntervalMs: 50,
      // Retries without end, 50-200 ms apart; a request may take up to 2 s (the slow channel
      // answers after 1.5 s), below the lease.
      policy: testDeliveryPolicy({
        maxAttempts: null,
        initialDelayMs: 50,
        maxDelayMs: 200,
        giveUpAfterMs: 600_000,
        requestTimeoutMs: 2000,
      }),
    },
  },
);
const running = await subgraph.listen(0);
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await running.close().catch(() => undefined);
  await subgraph.dispose().catch(() => undefined);
  await db.close().catch(() => undefined);
  process.exit(0);
};
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
