import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import type { RunningGateway } from '../../../gateway/server.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../../subgraphs/promotion/assemble.ts';
import type { HistoryEventBus } from '../../../subgraphs/promotion/events/history-event-bus.ts';
import {
  createRedisEventBus,
  type RedisEventBus,
} from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { readSubgraphConfig } from '../../../subgraphs/shared/config.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { acquirePglite, releasePglite } from '../../helpers/pglite-pool.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { InMemoryEventBus } from '../../../subgraphs/promotion/events/in-memory-event-bus.ts';
import { CREATE, createHarness, draftInput } from '../../unit/promotion/promotion-harness.ts';
import { createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
import { createDraft, startGateway, take, wsClient } from '../subscriptions/subscription-kit.ts';
import {
  redisServerSkipReason,
  SHARED_REDIS_URL,
  sharedRedisSkipReason,
  startRedisProcess,
  type RedisProcess,
} from '../throttling/redis-process.ts';
import { busEvents, deleteKeys, testPrefix } from './redis-events-fixtures.ts';

const sharedSkip = await sharedRedisSkipReason();

/**
 * Two deployments on one Redis (issue 13: before namespaces they shared `ev:promotion`, lost 31
 * of 31 events, since one's XADDs were refused as not newer, and received each other's).
 */
describe('event stream namespaces (EVENT_KEY_PREFIX)', { skip: sharedSkip ?? false }, () => {
  const prefix = testPrefix();
  after(() => deleteKeys(SHARED_REDIS_URL, prefix));

  test('two deployments with their own namespace each receive their 31 events, none of the other', async () => {
    const blue = await createRedisEventBus({ url: SHARED_REDIS_URL, prefix, namespace: 'blue' });
    const green = await createRedisEventBus({ url: SHARED_REDIS_URL, prefix, namespace: 'green' });
    try {
      assert.equal(blue.streamKey, `${prefix}blue:promotion`);
      assert.equal(green.streamKey, `${prefix}green:promotion`);
      const sent = { blue: busEvents(1, 31), green: busEvents(1, 31) };
      const blueLive = blue.stream({ after: '0' });
      const greenLive = green.stream({ after: '0' });
      await blue.append(sent.blue);
      await green.append(sent.green);
      const ids = (events: PromotionBusEvent[]) => events.map((e) => e.eventId);
      const received = {
        blue: await takeEvents(blueLive, 31),
        green: await takeEvents(greenLive, 31),
      };
      assert.deepEqual(ids(received.blue), ids(sent.blue), 'blue: 0 lost, 0 foreign');
      assert.deepEqual(ids(received.green), ids(sent.green), 'green: 0 lost, 0 foreign');
      // Blue's next event reaches blue's subscriber; green's newest is still its own 31st.
      await blue.append(busEvents(32, 32));
      assert.equal((await blueLive.next()).value!.cursor, '000000000000000032');
      await blueLive.return?.();
      await greenLive.return?.();
      assert.equal(green.latestCursor(), '000000000000000031');
    } finally {
      await blue.close();
      await green.close();
    }
  });

  test('EVENT_KEY_PREFIX reaches the promotion subgraph through config and the composition root', async () => {
    const namespace = `${prefix.slice(3, -1)}:deployment`;
    const config = readSubgraphConfig({ EVENT_KEY_PREFIX: namespace });
    assert.equal(config.eventKeyPrefix, namespace);
    assert.equal(readSubgraphConfig({}).eventKeyPrefix, undefined);
    const db = await acquirePglite();
    const subgraph = await assemblePromotionSubgraph(
      { ...testSubgraphConfig(), redisUrl: SHARED_REDIS_URL, eventKeyPrefix: namespace },
      { database: db, schedulerIntervalMs: 0, fundingAgreements: null },
    );
    try {
      const bus = (subgraph.app.eventBus as HistoryEventBus).bus as RedisEventBus;
      assert.equal(bus.streamKey, `ev:${namespace}:promotion`);
    } finally {
      await subgraph.dispose();
      await releasePglite(db);
      await deleteKeys(SHARED_REDIS_URL, `ev:${namespace}:`);
    }
  });
});

const skip = redisServerSkipReason();

type Result = {
  data?: { promotionStateChanged: { cursor: string } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/**
 * The promotion subgraph on Redis Streams (a private redis-server this test trims, restarts empty
 * and clears) and PGlite, behind a gateway; clients subscribe over graphql-ws. Every event is
 * committed through the gateway (drafts), so the outbox holds each one.
 */
describe('no silent gap: cursors the bus no longer holds', { skip: skip ?? false }, () => {
  let stack: TestStack;
  let redis: RedisProcess;
  let admin: Redis;
  let bus: RedisEventBus;
  let db: SqlDatabase;
  let erp: BackendClient;
  let promotion: AssembledPromotionSubgraph;
  let instance: RunningSubgraph;
  let gateway: RunningGateway;
  let client: Client;
  const prefix = testPrefix();
  /** Every committed cursor, in order. */
  const committed: string[] = [];

  /** The stack with its mutations sent to this test's gateway. */
  const viaGateway = (): TestStack => ({
    ...stack,
    async query(query, variables) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${stack.internalToken}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
  });

  async function commit(n: number): Promise<string[]> {
    const cursors: string[] = [];
    for (let i = 0; i < n; i++) {
      const { eventCursor } = await createDraft(viaGateway(), `Gap test ${committed.length + 1}`);
      committed.push(eventCursor);
      cursors.push(eventCursor);
    }
    return cursors;
  }

  /** Subscribes through the gateway; `after` omitted: from now. */
  function subscribe(after?: string): AsyncIterator<Result> {
    return client.iterate({
      query: `subscription($after: String) { promotionStateChanged(after: $after) { cursor } }`,
      variables: after === undefined ? {} : { after },
    }) as AsyncIterator<Result>;
  }

  /** Waits until the promotion subgraph has `n` open bus streams (the subscription is upstream). */
  async function streamsOpen(n: number): Promise<void> {
    for (let i = 0; bus.subscriberCount < n; i++) {
      if (i > 500) throw new Error(`${bus.subscriberCount} bus streams open, expected ${n}`);
      await delay(10);
    }
  }

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
    redis = await startRedisProcess();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
    bus = await createRedisEventBus({ url: redis.url, prefix, retain: 10_000, onError: () => {} });
    db = await acquirePglite();
    erp = createBackendClient({
      name: 'erp',
      baseUrl: stack.backends.url,
      timeoutMs: EMULATOR_TIMEOUT_MS,
      retries: 2,
    });
    const { pricing, inventory, funding } = stack.subgraphs;
    promotion = await assemblePromotionSubgraph(
      testSubgraphConfig({
        channelsUrl: `${stack.backends.url}/channels`,
        subgraphUrls: { pricing: pricing.url, inventory: inventory.url, funding: funding.url },
      }),
      {
        erp,
        database: db,
        eventBus: bus,
        schedulerIntervalMs: 0,
        relayPollIntervalMs: 100,
        fundingAgreements: null,
      },
    );
    instance = await promotion.listen(0);
    gateway = await startGateway(stack, { promotion: instance.url });
    client = wsClient(gateway.url, stack.internalToken);
  });

  after(async () => {
    await client?.dispose();
    await gateway?.close();
    await instance?.close();
    await promotion?.dispose();
    if (db) await releasePglite(db);
    await bus?.close();
    await erp?.close();
    admin?.disconnect();
    await redis?.stop();
    await stack?.close();
  });

  test('without after a subscription starts from now: no replay of the retained events', async () => {
    await commit(5);
    const events = subscribe();
    await streamsOpen(1);
    const [live] = await commit(1);
    const [first] = await take(events, 1);
    assert.deepEqual(first, { data: { promotionStateChanged: { cursor: live } } });
    await events.return?.();
    await streamsOpen(0);
  });

  test('a cursor older than the stream (XTRIM) is served from the outbox: every event once, in order, then live', async () => {
    await commit(24); // 30 committed
    const trimmed = await admin.xtrim(bus.streamKey, 'MAXLEN', 5);
    assert.equal(trimmed, 25);
    const after = committed[2]!;
    const expected = committed.slice(3);
    const events = subscribe(after);
    const replayed = await take(events, expected.length);
    const [live] = await commit(1);
    replayed.push(...(await take(events, 1)));
    await events.return?.();
    const cursors = replayed.map((r) => r.data!.promotionStateChanged.cursor);
    assert.deepEqual(
      replayed.filter((r) => r.errors),
      [],
    );
    assert.deepEqual(cursors, [...expected, live]);
    assert.deepEqual(figures(cursors, [...expected, live!]), { lost: 0, duplicated: 0 });
  });

  test('Redis restarted empty: live subscribers get what follows; an older cursor is replayed from the outbox', async () => {
    const beforeRestart = committed.at(-1)!;
    const live = subscribe(beforeRestart);
    await streamsOpen(1);
    await redis.stop();
    const whileDown = await commit(3); // committed to PGlite; the relay retries
    await redis.start(); // empty
    const afterRestart = await commit(2);
    const received = await take(live, 5);
    assert.deepEqual(
      received.map((r) => r.data?.promotionStateChanged.cursor),
      [...whileDown, ...afterRestart],
    );
    await live.return?.();
    assert.ok((await admin.xlen(bus.streamKey)) < committed.length, 'the stream lost the past');

    // A cursor from before the flush: events 11.. are no longer in Redis, all are in the outbox.
    const old = committed[9]!;
    const expected = committed.slice(10);
    const resumed = subscribe(old);
    const replayed = await take(resumed, expected.length);
    const [next] = await commit(1);
    replayed.push(...(await take(resumed, 1)));
    await resumed.return?.();
    const cursors = replayed.map((r) => r.data?.promotionStateChanged.cursor ?? 'error');
    assert.deepEqual(cursors, [...expected, next]);
    assert.deepEqual(figures(cursors, [...expected, next!]), { lost: 0, duplicated: 0 });
  });

  test('a cursor older than both the bus and the outbox ends with CURSOR_EXPIRED at the client', async () => {
    // The outbox lost its first 20 rows (as if pruned) and the stream its past.
    await db.query('DELETE FROM outbox WHERE cursor <= $1', [committed[19]]);
    await admin.xtrim(bus.streamKey, 'MAXLEN', 1);
    const events = subscribe(committed[4]);
    const [result] = await take(events, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), {
      errors: [
        {
          message: `cursor expired: events after ${committed[4]} are neither on the event bus nor in the outbox`,
          extensions: {
            code: 'CURSOR_EXPIRED',
            problems: [{ field: 'after', message: 'cursor expired' }],
          },
        },
      ],
    });
    assert.equal((await events.next()).done, true);
  });
});

const pgSkip = await pgSkipReason();

describe(
  'on PostgreSQL: the outbox serves what the bus no longer holds',
  { skip: pgSkip || false },
  () => {
    test('a cursor older than the in-process bus retains: every event once, in order, then live', async () => {
      const schema = await createTestSchema();
      const db = schema.open();
      const h = await createHarness({
        database: db,
        eventBus: new InMemoryEventBus({ retain: 2 }),
      });
      try {
        const committed: string[] = [];
        for (let i = 0; i < 8; i++) {
          const data = await h.run<{ createPromotionDraft: { eventCursor: string } }>(CREATE, {
            input: draftInput(),
          });
          committed.push(data.createPromotionDraft.eventCursor);
        }
        await h.subgraph.storage.relay.drain();
        const stream = h.app.eventBus.stream({ after: committed[0]! });
        const received = (await takeEvents(stream, 7)).map((e) => e.cursor);
        const live = await h.run<{ createPromotionDraft: { eventCursor: string } }>(CREATE, {
          input: draftInput(),
        });
        received.push((await stream.next()).value!.cursor);
        await stream.return?.();
        const expected = [...committed.slice(1), live.createPromotionDraft.eventCursor];
        assert.deepEqual(received, expected);
        assert.deepEqual(figures(received, expected), { lost: 0, duplicated: 0 });
      } finally {
        await h.close();
        await db.close();
        await schema.drop();
      }
    });
  },
);

async function takeEvents(
  stream: AsyncIterator<PromotionBusEvent>,
  n: number,
): Promise<PromotionBusEvent[]> {
  const events: PromotionBusEvent[] = [];
  while (events.length < n) events.push((await stream.next()).value!);
  return events;
}

/** Events expected but not received, and received more than once. */
function figures(received: (string | undefined)[], expected: string[]) {
  const seen = new Set(received);
  return {
    lost: expected.filter((c) => !seen.has(c)).length,
    duplicated: received.length - seen.size,
  };
}
