/**
 * A dispatcher process for delivery-crash.test.ts: one durable dispatcher on the schema in
 * DELIVERY_SCHEMA. After a channel answered a delivery it prints `{channel, key, outcome}` as a
 * line on stdout and never records the outcome, so the parent can SIGKILL it between the send
 * and the acknowledgement.
 */
import type { ChannelPublisher } from '../../../subgraphs/promotion/delivery/channel-publisher.ts';
import { createWebhookChannelPublisher } from '../../../subgraphs/promotion/adapters/channel-webhook.adapter.ts';
import { createDurableDispatcher } from '../../../subgraphs/promotion/delivery/durable-dispatcher.ts';
import { createPgDatabase } from '../../../subgraphs/promotion/storage/pg-database.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const webhook = createWebhookChannelPublisher({
  baseUrl: env('DELIVERY_CHANNELS_URL'),
  signingSecret: env('DELIVERY_SECRET'),
  timeoutMs: 5000,
});
const publisher: ChannelPublisher = {
  async deliver(delivery) {
    const outcome = await webhook.deliver(delivery);
    const line = { channel: delivery.channel, key: delivery.idempotencyKey, outcome };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return new Promise(() => undefined);
  },
};
createDurableDispatcher({
  db: createPgDatabase({
    connectionString: env('DELIVERY_PG_URL'),
    schema: env('DELIVERY_SCHEMA'),
  }),
  repository: {},
  publisher,
  owner: env('DELIVERY_OWNER'),
  policy: testDeliveryPolicy({ requestTimeoutMs: 5000 }),
  leaseMs: 60_000,
  pollIntervalMs: 50,
});
setInterval(() => undefined, 60_000);
