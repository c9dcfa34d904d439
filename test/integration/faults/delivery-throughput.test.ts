import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
  ALL_CHANNELS,
  errorSink,
  OffsetClock,
  openStore,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from '../delivery/delivery-fixtures.ts';
import { inboxCounts, statusCounts } from './fault-fixtures.ts';

const pgSkip = await pgSkipReason();
const PROMOTIONS = 100;

/**
 * Delivery throughput of one dispatcher instance (bench-style: measured and reported, not
 * asserted): PROMOTIONS promotions × 5 channels are committed first, then one dispatcher with
 * the committed policy's concurrency (ECOMMERCE/MOBILE 8, others 4) drains them against healthy
 * emulated channels.
 */
describe('delivery throughput, one instance (PostgreSQL)', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let channels: RunningBackends;
  let store: Store;
  const sink = errorSink();

  before(async () => {
    schema = await createTestSchema();
    channels = await startChannels();
    store = await openStore(schema.open(10), new OffsetClock().now);
  });
  after(async () => {
    await store?.closeDispatchers();
    await channels?.close();
    await schema?.drop();
  });

  test('deliveries per second', async (t) => {
    const ids: string[] = [];
    for (let i = 0; i < PROMOTIONS; i++) ids.push(await store.publish(ALL_CHANNELS));
    const start = Date.now();
    store.dispatcher({
      publisher: webhookPublisher(channels),
      policy: testDeliveryPolicy(
        { concurrency: 4 },
        { ECOMMERCE: { concurrency: 8 }, MOBILE: { concurrency: 8 } },
      ),
      onError: sink.onError,
    });
    await settled(store);
    const ms = Date.now() - start;
    const deliveries = PROMOTIONS * ALL_CHANNELS.length;
    const counts = await statusCounts(store.db, ids);
    for (const channel of ALL_CHANNELS)
      assert.deepEqual(counts[channel], { ACKNOWLEDGED: PROMOTIONS });
    for (const channel of ALL_CHANNELS) {
      const inbox = inboxCounts(channels, channel.toLowerCase() as 'pos');
      assert.equal(inbox.acceptedKeys, PROMOTIONS);
      assert.equal(inbox.duplicates, 0);
    }
    assert.deepEqual(sink.errors, []);
    t.diagnostic(
      `${deliveries} deliveries in ${ms} ms: ${((deliveries * 1000) / ms).toFixed(0)} deliveries/s (one instance, 5 lanes)`,
    );
  });
});
