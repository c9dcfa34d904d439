/**
 * One dispatcher instance in its own process, for delivery-throughput.test.ts: opens a pool on
 * the schema in THROUGHPUT_SCHEMA, prints `ready`, starts a durable dispatcher (owner
 * THROUGHPUT_OWNER, the throughput test's policy) when a line arrives on stdin, and once no
 * delivery is open in the database prints `{"errors": [...]}` and exits.
 */
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createWebhookChannelPublisher } from '../../../subgraphs/promotion/adapters/channel-webhook.adapter.ts';
import { createDurableDispatcher } from '../../../subgraphs/promotion/delivery/durable-dispatcher.ts';
import { createPgDatabase } from '../../../subgraphs/promotion/storage/pg-database.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

/** The committed policy's concurrency: ECOMMERCE/MOBILE 8 slots, the others 4. */
const throughputPolicy = () =>
  testDeliveryPolicy(
    { concurrency: 4 },
    { ECOMMERCE: { concurrency: 8 }, MOBILE: { concurrency: 8 } },
  );

const db = createPgDatabase({
  connectionString: env('THROUGHPUT_PG_URL'),
  schema: env('THROUGHPUT_SCHEMA'),
  max: 10,
});
await db.query('SELECT 1');
const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(input, 'line');
input.close();

const errors: string[] = [];
const dispatcher = createDurableDispatcher({
  db,
  repository: {},
  publisher: createWebhookChannelPublisher({
    baseUrl: env('THROUGHPUT_CHANNELS_URL'),
    signingSecret: env('THROUGHPUT_SECRET'),
    timeoutMs: 1000,
  }),
  owner: env('THROUGHPUT_OWNER'),
  policy: throughputPolicy(),
  leaseMs: 5000,
  pollIntervalMs: 50,
  onError: (error) => errors.push(String(error)),
});
await dispatcher.whenIdle();
await dispatcher.close();
await db.close();
process.stdout.write(`${JSON.stringify({ errors })}\n`);
