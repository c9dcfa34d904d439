import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { LimiterStore } from '../../../gateway/throttling/limiter-store.ts';
import {
  createLimiterRedisClient,
  createRedisLimiterStore,
} from '../../../gateway/throttling/redis-limiter-store.ts';
import type { Budget, ThrottlingPolicy } from '../../../policies/throttling-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { redisServerSkipReason, startRedisProcess, type RedisProcess } from './redis-process.ts';
import { post } from './throttle-client.ts';
import { countSelectedFields } from '../../../gateway/throttling/operation-weight.ts';

const big: Budget = { points: 1_000_000, mutationPoints: 100_000 };
const POLICY: ThrottlingPolicy = {
  windowSeconds: 3600,
  channels: {
    ECOMMERCE: big,
    MOBILE: big,
    POS: big,
    MARKETPLACE: big,
    LOYALTY: big,
    partner: big,
    internal: big,
    anonymous: { points: 3, mutationPoints: 1 },
  },
  partners: { default: big, overrides: {} },
  subscriptions: { perClient: 20 },
};
const QUERY = '{ __typename }';
const KEY = 'rl:channel:anonymous';

/** The next `event` (unlike events.once, not rejected by the 'error' events of reconnecting). */
const next = (client: Redis, event: 'close' | 'ready') =>
  new Promise<void>((resolve) => client.once(event, () => resolve()));

const skip = redisServerSkipReason();

describe(
  'Redis fails mid-run: in-memory insurance, then Redis again',
  { skip: skip ?? false },
  () => {
    let redis: RedisProcess;
    let client: Redis;
    let store: LimiterStore;
    let stack: TestStack;
    const logs: string[] = [];
    /** Statuses of `count` anonymous queries, one after the other. */
    const statuses = async (count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i++) seen.push((await post(stack.gatewayUrl, QUERY, null)).status);
      return seen;
    };
    /** The counter in the private Redis, read on a connection of its own. */
    const counter = async () => {
      const admin = new Redis(redis.url);
      try {
        return await admin.get(KEY);
      } finally {
        await admin.quit();
      }
    };

    before(async () => {
      redis = await startRedisProcess();
      client = createLimiterRedisClient(redis.url);
      await once(client, 'ready');
      store = createRedisLimiterStore({ client, log: (line) => logs.push(line) });
      stack = await startTestStack({
        skus: 5,
        locations: 2,
        vendors: 1,
        // Field-count weights keep these budgets easy to follow; the default is the estimated cost.
        throttle: { policy: POLICY, store, cost: countSelectedFields },
      });
    });
    after(async () => {
      await stack?.close();
      await store?.close();
      await redis?.stop();
    });

    test('limits in Redis, in memory while Redis is down, in Redis again once it is back', async () => {
      assert.deepEqual(await statuses(2), [200, 200]);
      assert.equal(await counter(), '2');

      const closed = next(client, 'close');
      await redis.stop();
      await closed;
      // The insurance limiter starts from zero on this instance and keeps limiting.
      const executions = stack.executions();
      assert.deepEqual(await statuses(4), [200, 200, 200, 429]);
      assert.equal(stack.executions(), executions + 3, 'the refused operation did not execute');
      const refused = await post(stack.gatewayUrl, QUERY, null);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['ratelimit-limit'], '3');
      assert.equal(refused.headers['ratelimit-remaining'], '0');
      assert.equal(refused.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
      assert.equal(logs.length, 1);
      assert.match(
        logs[0]!,
        /^\[gateway\] rate limits: Redis unavailable \(.+\); limiting in memory on this instance until it returns$/,
      );

      const ready = next(client, 'ready');
      await redis.start();
      await ready;
      assert.deepEqual(logs.slice(1), [
        '[gateway] rate limits: Redis is back; limits are shared again',
      ]);
      // The restarted Redis is empty: it counts again from zero, and refuses past the limit.
      assert.deepEqual(await statuses(1), [200]);
      assert.equal(await counter(), '1');
      assert.deepEqual(await statuses(3), [200, 200, 429]);
      assert.equal(await counter(), '3');
    });
  },
);
