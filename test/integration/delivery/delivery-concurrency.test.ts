import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import type { ChannelPublisher } from '../../../subgraphs/promotion/delivery/channel-publisher.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
  channelEvents,
  errorSink,
  inbox,
  keyOf,
  OffsetClock,
  openStore,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from './delivery-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const pgSkip = await pgSkipReason();
const CHANNELS = [SalesChannel.ECOMMERCE, SalesChannel.POS, SalesChannel.LOYALTY];
const PROMOTIONS = 20;

/** Counts the sends of one dispatcher instance. */
function counting(inner: ChannelPublisher): ChannelPublisher & { sends: number } {
  const counter = {
    sends: 0,
    deliver: (delivery: Parameters<ChannelPublisher['deliver']>[0]) => {
      counter.sends++;
      return inner.deliver(delivery);
    },
  };
  return counter;
}

describe('three dispatchers on one database (PostgreSQL)', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let channels: RunningBackends;
  let store: Store;
  const sink = errorSink();

  before(async () => {
    schema = await createTestSchema();
    channels = await startChannels();
    store = await openStore(schema.open(), new OffsetClock().now);
  });
  beforeEach(() => channels.state.reset());
  after(async () => {
    await store?.closeDispatchers();
    await channels?.close();
    await schema?.drop();
  });

  /** Three instances, each with its own pool (its own sessions, so real row locks between them). */
  function startThree(maxAttempts: number) {
    return [1, 2, 3].map((n) => {
      const publisher = counting(webhookPublisher(channels));
      store.dispatcher({
        db: schema.open(4),
        publisher,
        owner: `instance-${n}`,
        policy: testDeliveryPolicy({
          maxAttempts,
          concurrency: 4,
          initialDelayMs: 5,
          maxDelayMs: 20,
        }),
        onError: sink.onError,
      });
      return publisher;
    });
  }

  async function publishAll(): Promise<string[]> {
    return Promise.all(Array.from({ length: PROMOTIONS }, () => store.publish(CHANNELS)));
  }

  test('healthy channels: every key is delivered exactly once, by one of the instances', async (t) => {
    const publishers = startThree(5);
    const ids = await publishAll();
    await settled(store);
    await store.closeDispatchers();

    const sends = publishers.map((p) => p.sends);
    t.diagnostic(`sends per instance: ${sends.join(', ')}`);
    assert.equal(
      sends.reduce((a, b) => a + b),
      PROMOTIONS * CHANNELS.length,
    );
    for (const channel of CHANNELS) {
      const received = inbox(channels, channel.toLowerCase() as 'pos');
      assert.deepEqual(
        received.map((m) => m.key).sort(),
        ids.map((id) => keyOf(id, channel)).sort(),
      );
      assert.deepEqual(
        received.filter((m) => m.status !== 200 || m.duplicate),
        [],
      );
    }
    for (const id of ids) {
      const pending = 'PENDING (channels: ECOMMERCE, POS, LOYALTY)';
      const sequence = [pending, 'SENT', 'ACKNOWLEDGED'];
      assert.deepEqual(await channelEvents(store.db, id), {
        ECOMMERCE: sequence,
        POS: sequence,
        LOYALTY: sequence,
      });
    }
    const { rows } = await store.db.query(
      `SELECT status, attempts, count(*)::int AS n, count(lease_owner)::int AS leased
         FROM channel_publications GROUP BY status, attempts`,
    );
    assert.deepEqual(rows, [
      { status: 'ACKNOWLEDGED', attempts: 1, n: PROMOTIONS * CHANNELS.length, leased: 0 },
    ]);
    assert.deepEqual(sink.errors, []);
  });

  test('30 % of requests fail with 500: retries by any instance, one acknowledgement per key', async () => {
    for (const channel of CHANNELS) {
      channels.state.faults.add({
        match: `channels/${channel.toLowerCase()}`,
        status: 500,
        probability: 0.3,
      });
    }
    startThree(12);
    const ids = await publishAll();
    await settled(store);
    await store.closeDispatchers();

    const fault = (c: SalesChannel) =>
      `FAILED (HTTP 500: {"error":"FAULT","message":"Injected fault: HTTP 500 on channels/${c.toLowerCase()}"})`;
    let failures = 0;
    for (const channel of CHANNELS) {
      // Faulted requests never reach the channel: its inbox holds each key once.
      const received = inbox(channels, channel.toLowerCase() as 'pos');
      assert.deepEqual(
        received.map((m) => m.key).sort(),
        ids.map((id) => keyOf(id, channel)).sort(),
      );
      let sentEvents = 0;
      for (const id of ids) {
        const events = (await channelEvents(store.db, id))[channel]!;
        const retries = (events.length - 3) / 2;
        failures += retries;
        sentEvents += retries + 1;
        assert.deepEqual(events, [
          'PENDING (channels: ECOMMERCE, POS, LOYALTY)',
          ...Array.from({ length: retries }, () => ['SENT', fault(channel)]).flat(),
          'SENT',
          'ACKNOWLEDGED',
        ]);
      }
      // Every HTTP call the channel got is one SENT event, and the other way round.
      assert.equal(channels.state.counters.calls(`channels/${channel.toLowerCase()}`), sentEvents);
    }
    assert.ok(failures > 0, 'the fault injection failed some requests');
    const { rows } = await store.db.query(
      `SELECT status, count(*)::int AS n FROM channel_publications
        WHERE promotion_id = ANY($1::text[]) GROUP BY status`,
      [ids],
    );
    assert.deepEqual(rows, [{ status: 'ACKNOWLEDGED', n: PROMOTIONS * CHANNELS.length }]);
    const { rows: audit } = await store.db.query(
      `SELECT count(*)::int AS n FROM audit WHERE action = 'channelDelivery'
          AND promotion_id = ANY($1::text[])`,
      [ids],
    );
    assert.deepEqual(audit, [{ n: PROMOTIONS * CHANNELS.length }]);
    assert.deepEqual(sink.errors, []);
  });
});
