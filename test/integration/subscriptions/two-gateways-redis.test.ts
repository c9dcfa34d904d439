import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { RunningGateway } from '../../../gateway/server.ts';
import {
  createRedisEventBus,
  type RedisEventBus,
} from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../../subgraphs/promotion/assemble.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { createTestSchema, PG_URL, pgSkipReason } from '../storage/storage-fixtures.ts';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from '../throttling/redis-process.ts';
import { createDraft, startGateway, take, wsClient } from './subscription-kit.ts';

const skip = (await sharedRedisSkipReason()) ?? (await pgSkipReason());

/** The stack with its queries sent to another gateway. */
function via(stack: TestStack, gatewayUrl: string): TestStack {
  return {
    ...stack,
    async query(query, variables) {
      const res = await fetch(gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${stack.internalToken}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
  };
}

/**
 * Scale-out: two promotion subgraph instances on one PostgreSQL schema and one Redis Streams bus,
 * two gateways each pointed at a different instance. A subscriber on gateway A receives what a
 * mutation through gateway B committed (instance 2 → outbox → Redis → instance 1 → gateway A).
 */
describe(
  'two gateways, two promotion instances, one Redis event bus and one PostgreSQL',
  { skip: skip || false },
  () => {
    let stack: TestStack;
    let schema: Awaited<ReturnType<typeof createTestSchema>>;
    const prefix = `ev:test:${randomBytes(6).toString('hex')}:`;
    const buses: RedisEventBus[] = [];
    const subgraphs: AssembledPromotionSubgraph[] = [];
    const instances: RunningSubgraph[] = [];
    const clients: BackendClient[] = [];
    const gateways: RunningGateway[] = [];

    before(async () => {
      stack = await startTestStack({ skus: 50, vendors: 3 });
      schema = await createTestSchema();
      const databaseUrl = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
      for (let i = 0; i < 2; i += 1) {
        const bus = await createRedisEventBus({ url: SHARED_REDIS_URL, prefix, retain: 1000 });
        buses.push(bus);
        const erp = createBackendClient({
          name: 'erp',
          baseUrl: stack.backends.url,
          timeoutMs: EMULATOR_TIMEOUT_MS,
          retries: 2,
        });
        clients.push(erp);
        const { pricing, inventory, funding } = stack.subgraphs;
        const config = testSubgraphConfig({
          databaseUrl,
          channelsUrl: `${stack.backends.url}/channels`,
          subgraphUrls: { pricing: pricing.url, inventory: inventory.url, funding: funding.url },
        });
        const subgraph = await assemblePromotionSubgraph(config, {
          erp,
          schedulerIntervalMs: 0,
          eventBus: bus,
        });
        subgraphs.push(subgraph);
        instances.push(await subgraph.listen(0));
      }
      for (const instance of instances) {
        gateways.push(await startGateway(stack, { promotion: instance.url }));
      }
    });

    after(async () => {
      await Promise.all(gateways.map((g) => g.close()));
      await Promise.all(instances.map((i) => i.close()));
      await Promise.all(subgraphs.map((s) => s.dispose()));
      await Promise.all(buses.map((b) => b.close()));
      await Promise.all(clients.map((c) => c.close()));
      const redis = new Redis(SHARED_REDIS_URL);
      await redis.del(`${prefix}promotion`);
      redis.disconnect();
      await schema?.drop();
      await stack?.close();
    });

    test('a subscriber on gateway A receives the merged event of a mutation through gateway B', async () => {
      const [a, b] = gateways as [RunningGateway, RunningGateway];
      const throughB = via(stack, b.url);
      const client = wsClient(a.url, stack.internalToken);
      try {
        const start = await createDraft(throughB, 'Scale-out start');
        const events = client.iterate({
          query: `subscription($after: String) {
            promotionStateChanged(after: $after) {
              cursor promotion { id name funding { check { area } } }
            }
          }`,
          variables: { after: start.eventCursor },
        });
        const draft = await createDraft(throughB, 'Through gateway B');
        assert.deepEqual(await take(events, 1), [
          {
            data: {
              promotionStateChanged: {
                cursor: draft.eventCursor,
                promotion: {
                  id: draft.id,
                  name: 'Through gateway B',
                  funding: { check: { area: 'FUNDING' } },
                },
              },
            },
          },
        ]);
        await events.return!();
      } finally {
        await client.dispose();
      }
    });
  },
);
