import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
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
const { ECOMMERCE, MOBILE, POS } = SalesChannel;

const PROMOTIONS = 8;
const SLOW_MS = 2000;
/** Allowed extra time of the healthy channels while POS is slow (scheduling noise, not POS). */
const MARGIN_MS = 1000;

/**
 * One channel slow (2 s per call) while the others are healthy: each channel has its own slots,
 * so ECOMMERCE and MOBILE finish in about the time they take when POS is healthy, while POS
 * (2 slots, 8 deliveries) takes at least 4 × 2 s.
 */
describe(
  'fault: one channel slow while the others are healthy (PostgreSQL)',
  { skip: pgSkip },
  () => {
    let schema: Awaited<ReturnType<typeof createTestSchema>>;
    let channels: RunningBackends;
    let store: Store;
    const sink = errorSink();

    before(async () => {
      schema = await createTestSchema();
      channels = await startChannels();
      store = await openStore(schema.open(), new OffsetClock().now);
      store.dispatcher({
        publisher: webhookPublisher(channels),
        policy: testDeliveryPolicy({ concurrency: 2, requestTimeoutMs: 4000, failureThreshold: 3 }),
        onError: sink.onError,
      });
    });
    after(async () => {
      await store?.closeDispatchers();
      await channels?.close();
      await schema?.drop();
    });

    /**
     * Publishes PROMOTIONS to three channels; ms from the last publication until ECOMMERCE and
     * MOBILE received them all (their lag behind the publications).
     */
    async function healthyChannelsTime(): Promise<{ ms: number; ids: string[] }> {
      const ids: string[] = [];
      for (let i = 0; i < PROMOTIONS; i++) ids.push(await store.publish([ECOMMERCE, MOBILE, POS]));
      const published = Date.now();
      await Promise.all([
        channels.state.channels.waitForReceived('ecommerce', PROMOTIONS, 20_000),
        channels.state.channels.waitForReceived('mobile', PROMOTIONS, 20_000),
      ]);
      return { ms: Date.now() - published, ids };
    }

    test('the healthy channels are not delayed by the slow one', async (t) => {
      await healthyChannelsTime(); // warm-up: connections, prepared statements
      await settled(store);
      channels.state.reset();
      const baseline = await healthyChannelsTime();
      await settled(store);
      channels.state.reset();

      channels.state.channels.setMode('pos', 'slow', SLOW_MS);
      const start = Date.now();
      const slow = await healthyChannelsTime();
      const posReceivedBy = channels.state.channels.received('pos').length;
      await settled(store);
      const posMs = Date.now() - start;

      assert.ok(
        slow.ms <= baseline.ms + MARGIN_MS,
        `healthy channels took ${slow.ms} ms with POS slow, ${baseline.ms} ms with POS healthy`,
      );
      assert.ok(posMs >= (PROMOTIONS / 2) * SLOW_MS, `POS took ${posMs} ms`);
      assert.ok(
        posReceivedBy < PROMOTIONS,
        `POS was still busy when the others had finished (${posReceivedBy} received)`,
      );
      assert.deepEqual(await statusCounts(store.db, slow.ids), {
        ECOMMERCE: { ACKNOWLEDGED: PROMOTIONS },
        MOBILE: { ACKNOWLEDGED: PROMOTIONS },
        POS: { ACKNOWLEDGED: PROMOTIONS },
      });
      for (const channel of ['ecommerce', 'mobile', 'pos'] as const) {
        const counts = inboxCounts(channels, channel);
        assert.equal(counts.acceptedKeys, PROMOTIONS, `${channel} accepted keys`);
        assert.equal(counts.duplicates, 0, `${channel} duplicates`);
      }
      assert.deepEqual(sink.errors, []);
      t.diagnostic(
        `ECOMMERCE+MOBILE done ${baseline.ms} ms after the last publication with POS healthy, ${slow.ms} ms with POS slow; ` +
          `POS (${SLOW_MS} ms per call, 2 slots): ${posMs} ms; lost 0, duplicates 0`,
      );
    });
  },
);
