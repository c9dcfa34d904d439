import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createBackendsServer } from '../../../backends/server.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../../subgraphs/promotion/assemble.ts';
import {
  createRedisEventBus,
  type RedisEventBus,
} from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { acquirePglite, releasePglite } from '../../helpers/pglite-pool.ts';
import { principalConnectionParams, principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { FakeReadinessGate } from '../../unit/promotion/promotion-harness.ts';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from '../throttling/redis-process.ts';
import { busEvents, deleteKeys, testPrefix } from './redis-events-fixtures.ts';

type Event = {
  kind: string;
  cursor: string;
  toState: string | null;
  promotion: { id: string; name: string };
};

const skip = await sharedRedisSkipReason();

/**
 * Two promotion subgraph instances, each with its own RedisEventBus on one stream (and one
 * PGlite database between them, standing in for the shared PostgreSQL): a client subscribed to
 * B over graphql-ws receives what a mutation on A produced.
 */
describe(
  'promotionStateChanged over the Redis event bus, across two subgraph instances',
  { skip: skip ?? false },
  () => {
    const prefix = testPrefix();
    let backends: Awaited<ReturnType<ReturnType<typeof createBackendsServer>['listen']>>;
    let erp: ReturnType<typeof createBackendClient>;
    let busA: RedisEventBus;
    let busB: RedisEventBus;
    let db: SqlDatabase;
    const subgraphs: AssembledPromotionSubgraph[] = [];
    let a: RunningSubgraph;
    let b: RunningSubgraph;
    let client: Client;

    before(async () => {
      backends = await createBackendsServer({
        seed: { skus: 50, locations: 5, vendors: 3 },
      }).listen(0);
      erp = createBackendClient({
        name: 'erp',
        baseUrl: backends.url,
        retries: 0,
        timeoutMs: EMULATOR_TIMEOUT_MS,
      });
      busA = await createRedisEventBus({ url: SHARED_REDIS_URL, prefix, retain: 10 });
      busB = await createRedisEventBus({ url: SHARED_REDIS_URL, prefix, retain: 10 });
      db = await acquirePglite();
      const config = testSubgraphConfig({ channelsUrl: `${backends.url}/channels` });
      const instance = async (eventBus: RedisEventBus) => {
        const subgraph = await assemblePromotionSubgraph(config, {
          erp,
          readinessGate: new FakeReadinessGate(),
          fundingAgreements: null,
          schedulerIntervalMs: 0,
          eventBus,
          database: db,
        });
        subgraphs.push(subgraph);
        return subgraph.listen(0);
      };
      // Each relay forwards the outbox rows it finds unpublished; A's commits wake A's first.
      a = await instance(busA);
      b = await instance(busB);
      client = createClient({
        url: b.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: principalConnectionParams(),
      });
    });
    after(async () => {
      await client?.dispose();
      await b?.close();
      await a?.close();
      for (const subgraph of subgraphs) await subgraph.dispose();
      if (db) await releasePglite(db);
      await busA?.close();
      await busB?.close();
      await erp?.close();
      await backends?.close();
      await deleteKeys(SHARED_REDIS_URL, prefix);
    });

    async function createDraft(name: string): Promise<{ id: string; eventCursor: string }> {
      const res = await fetch(a.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...principalHeaders() },
        body: JSON.stringify({
          query: `mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { eventCursor promotion { id } } }`,
          variables: {
            input: {
              name,
              offer: { kind: 'PERCENT_OFF', percentOff: '10' },
              scope: { skus: ['SKU000001'] },
              eligibility: { channels: ['ECOMMERCE'] },
              window: {
                startsAt: new Date(Date.now() + 86_400_000).toISOString(),
                endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
                timeZone: 'UTC',
              },
              stacking: { mode: 'STACKABLE', priority: 1 },
            },
          },
        }),
      });
      const body = (await res.json()) as {
        data: { createPromotionDraft: { eventCursor: string; promotion: { id: string } } };
      };
      const result = body.data.createPromotionDraft;
      return { id: result.promotion.id, eventCursor: result.eventCursor };
    }

    /** Subscribes on B; resolves with `count` events, or rejects with the errors it gets. */
    function eventsOnB(query: string, count: number, events: Event[] = []): Promise<Event[]> {
      return new Promise((resolve, reject) => {
        const unsubscribe = client.subscribe<{ promotionStateChanged: Event }>(
          { query },
          {
            next: (value) => {
              if (value.errors) return reject(value.errors);
              events.push(value.data!.promotionStateChanged);
              if (events.length === count) {
                unsubscribe();
                resolve(events);
              }
            },
            error: reject,
            complete: () => reject(new Error(`completed after ${events.length} events`)),
          },
        );
      });
    }

    /** Cursor of the oldest entry on the stream. */
    async function streamHead(bus: RedisEventBus): Promise<string> {
      const all = bus.stream({ after: null });
      const head = (await all.next()).value!.cursor;
      await all.return?.();
      return head;
    }

    const SELECTION = '{ kind cursor toState promotion { id name } }';

    test('a draft created on instance A reaches a subscriber of instance B, replay then live', async () => {
      const first = await createDraft('Created before subscribing');
      const received = eventsOnB(
        `subscription { promotionStateChanged(after: "0") ${SELECTION} }`,
        2,
      );
      const second = await createDraft('Created while subscribed');
      assert.deepEqual(await received, [
        {
          kind: 'STATE_CHANGED',
          cursor: first.eventCursor,
          toState: 'DRAFT',
          promotion: { id: first.id, name: 'Created before subscribing' },
        },
        {
          kind: 'STATE_CHANGED',
          cursor: second.eventCursor,
          toState: 'DRAFT',
          promotion: { id: second.id, name: 'Created while subscribed' },
        },
      ]);
      assert.equal(busB.latestCursor(), second.eventCursor);
    });

    test('a cursor older than the bus retains is served from the outbox, then CURSOR_EXPIRED where the outbox has nothing', async () => {
      // 250 more events, appended to the bus only (no outbox rows: as if the outbox had been
      // pruned), push the drafts' events out of the stream (retain 10).
      const top = Number(busA.latestCursor());
      for (let n = top + 1; n <= top + 250; n += 50) await busA.append(busEvents(n, n + 49));
      const oldest = await streamHead(busB);
      const received: Event[] = [];
      await assert.rejects(
        eventsOnB(`subscription { promotionStateChanged(after: "1") ${SELECTION} }`, 99, received),
        (errors: unknown) => {
          assert.deepEqual(JSON.parse(JSON.stringify(errors)), [
            {
              message: `cursor expired: events after ${String(top).padStart(18, '0')} are neither on the event bus nor in the outbox`,
              extensions: {
                code: 'CURSOR_EXPIRED',
                problems: [{ field: 'after', message: 'cursor expired' }],
              },
            },
          ]);
          return true;
        },
      );
      // The outbox served every event it holds after cursor 1 (the second draft's), in order.
      assert.deepEqual(
        received.map((e) => Number(e.cursor)),
        Array.from({ length: top - 1 }, (_, i) => i + 2),
      );
      assert.ok(Number(oldest) > top + 1, `the bus no longer holds ${top + 1}`);
    });
  },
);
