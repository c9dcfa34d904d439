import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import {
  createLimiterRedisClient,
  createRedisLimiterStore,
} from '../../../gateway/throttling/redis-limiter-store.ts';
import type { LimiterStore } from '../../../gateway/throttling/limiter-store.ts';
import type { Budget, ThrottlingPolicy } from '../../../policies/throttling-policy.ts';
import { draftInput } from '../../helpers/draft-input.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from './redis-process.ts';
import { post, tokenFor, type ThrottledResponse } from './throttle-client.ts';
import { countSelectedFields } from '../../../gateway/throttling/operation-weight.ts';

const big: Budget = { points: 1_000_000, mutationPoints: 100_000 };
const POLICY: ThrottlingPolicy = {
  windowSeconds: 3600,
  channels: {
    ECOMMERCE: { ...big, perClient: { points: 12, mutationPoints: 8 } },
    MOBILE: big,
    POS: big,
    MARKETPLACE: big,
    LOYALTY: big,
    partner: { ...big, perClient: { points: 1000, mutationPoints: 100 } },
    internal: { ...big, perClient: { points: 12, mutationPoints: 8 } },
    anonymous: big,
  },
  partners: {
    default: { points: 10, mutationPoints: 5 },
    overrides: { acme: { points: 30, mutationPoints: 5 } },
  },
  subscriptions: { perClient: 20 },
};

/** 4 fields: promotions, edges, node, id. */
const Q4 = '{ promotions(first: 1) { edges { node { id } } } }';
/** 4 fields: createPromotionDraft, promotion, id, state. */
const CREATE = `mutation($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id state } }
}`;
const INPUT = draftInput('Throttled sale');

const ecommerce = (clientId?: string, subject = 'shop-app') =>
  tokenFor({
    tokenClass: 'channel-app',
    channel: 'ECOMMERCE',
    subject,
    ...(clientId ? { clientId } : {}),
  });
const internal = (subject: string) => tokenFor({ tokenClass: 'internal', subject });
const partner = (partnerId: string, clientId: string) =>
  tokenFor({
    tokenClass: 'partner',
    subject: `${partnerId}-${clientId}`,
    partnerId,
    vendorId: 'V0001',
    clientId,
  });

/** Seconds to the window's end depend on the run's pace: checked within the window, shown as 'R'. */
function settled(response: ThrottledResponse): ThrottledResponse {
  const check = (seconds: string) => {
    assert.ok(Number(seconds) >= 1 && Number(seconds) <= POLICY.windowSeconds, `${seconds} s`);
    return 'R';
  };
  const text = JSON.stringify(response)
    .replace(
      /("ratelimit-reset":|"retry-after":)"(\d+)"/g,
      (_, key: string, s: string) => `${key}"${check(s)}"`,
    )
    .replace(/retry after (\d+) s/g, (_, s: string) => `retry after ${check(s)} s`)
    .replace(/"retryAfterSeconds":(\d+)/g, (_, s: string) => `"retryAfterSeconds":"${check(s)}"`);
  return JSON.parse(text) as ThrottledResponse;
}

const skip = await sharedRedisSkipReason();

describe('throttling through the whole stack, counters in Redis', { skip: skip ?? false }, () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  let stack: TestStack;
  let store: LimiterStore;
  let admin: Redis;
  const send = async (query: string, token: string | null, variables?: Record<string, unknown>) =>
    settled(await post(stack.gatewayUrl, query, token, variables));
  const counter = (key: string) => admin.get(`rl:${prefix}:${key}`);

  before(async () => {
    admin = new Redis(SHARED_REDIS_URL);
    store = createRedisLimiterStore({ client: createLimiterRedisClient(SHARED_REDIS_URL), prefix });
    stack = await startTestStack({
      skus: 20,
      locations: 3,
      vendors: 2,
      // Field-count weights keep these budgets easy to follow; the default is the estimated cost.
      throttle: { policy: POLICY, store, cost: countSelectedFields },
    });
  });
  after(async () => {
    await stack?.close();
    await store?.close();
    if (admin) {
      const keys = await admin.keys(`rl:${prefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
  });

  test('answers carry RateLimit-*; over the limit: 429 RATE_LIMITED, Retry-After, no execution', async () => {
    const token = ecommerce('web-a');
    for (const remaining of ['8', '4', '0']) {
      const ok = await send(Q4, token);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.errors, undefined);
      assert.deepEqual(ok.headers, {
        'ratelimit-limit': '12',
        'ratelimit-remaining': remaining,
        'ratelimit-reset': 'R',
      });
    }
    assert.equal(await counter('client:ECOMMERCE:azp:web-a'), '12');
    const executions = stack.executions();
    const refused = await send(Q4, token);
    assert.deepEqual(refused, {
      status: 429,
      headers: {
        'ratelimit-limit': '12',
        'ratelimit-remaining': '0',
        'ratelimit-reset': 'R',
        'retry-after': 'R',
      },
      body: {
        errors: [
          {
            message:
              'rate limit exceeded for client azp:web-a of ECOMMERCE: the operation costs 4 points, 0 of 12 left in this window; retry after R s',
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 'R' },
          },
        ],
      },
    });
    assert.equal(stack.executions(), executions, 'the refused operation reached execution');
    assert.equal(await counter('client:ECOMMERCE:azp:web-a'), '12', 'a refusal charges nothing');
    // Counted, by the caller's channel, on the gateway's /metrics.
    const metrics = await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
    assert.match(metrics, /^gateway_throttled_requests_total\{channel="ECOMMERCE"\} 1$/m);
  });

  test('clients of a channel are limited apart; without a client id, by subject', async () => {
    const other = await send(Q4, ecommerce('web-b'));
    assert.deepEqual([other.status, other.headers['ratelimit-remaining']], [200, '8']);
    for (let i = 0; i < 3; i++)
      assert.equal((await send(Q4, ecommerce(undefined, 'kiosk-1'))).status, 200);
    assert.equal(
      (await send(Q4, ecommerce(undefined, 'kiosk-1'))).status,
      429,
      'a new token, same subject',
    );
    assert.equal((await send(Q4, ecommerce(undefined, 'kiosk-2'))).status, 200);
    assert.equal(await counter('client:ECOMMERCE:sub:kiosk-1'), '12');
  });

  test('mutations have their own, lower budget', async () => {
    const token = internal('writer-1');
    for (const remaining of ['4', '0']) {
      const ok = await send(CREATE, token, { input: INPUT });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.headers, {
        'ratelimit-limit': '8',
        'ratelimit-remaining': remaining,
        'ratelimit-reset': 'R',
      });
    }
    const executions = stack.executions();
    const refused = await send(CREATE, token, { input: INPUT });
    assert.equal(refused.status, 429);
    assert.equal(
      refused.body.errors?.[0]?.message,
      'rate limit exceeded for mutation budget of client sub:writer-1 of internal: the operation costs 4 points, 0 of 8 left in this window; retry after R s',
    );
    assert.equal(stack.executions(), executions);
    const query = await send(Q4, token);
    assert.deepEqual(
      [query.status, query.headers['ratelimit-remaining']],
      [200, '8'],
      'queries untouched',
    );
    assert.equal(await counter('mutation:client:internal:sub:writer-1'), '8');
    assert.equal(await counter('client:internal:sub:writer-1'), '4');
  });

  test('partners are limited apart, across their clients, with overrides', async () => {
    for (const remaining of ['6', '2']) {
      const ok = await send(Q4, partner('globex', 'sync-1'));
      assert.deepEqual(
        [ok.status, ok.headers['ratelimit-limit'], ok.headers['ratelimit-remaining']],
        [200, '10', remaining],
      );
    }
    const refused = await send(Q4, partner('globex', 'sync-2'));
    assert.equal(refused.status, 429, 'another client of the same partner');
    assert.equal(
      refused.body.errors?.[0]?.message,
      'rate limit exceeded for partner globex: the operation costs 4 points, 2 of 10 left in this window; retry after R s',
    );
    assert.equal((await send(Q4, partner('initech', 'sync-1'))).status, 200, 'another partner');
    for (let i = 0; i < 7; i++)
      assert.equal((await send(Q4, partner('acme', 'sync-1'))).status, 200);
    assert.equal((await send(Q4, partner('acme', 'sync-1'))).status, 429, 'acme: 30 points');
    assert.equal(await counter('partner:acme'), '28');
    assert.equal(await counter('client:partner:azp:sync-2'), '0', 'charged, then refunded');
  });

  test('an operation refused by authorize answers 403 and is not charged', async () => {
    const token = tokenFor({ tokenClass: 'internal', subject: 'no-scopes', scopes: [] });
    const executions = stack.executions();
    const refused = await send(Q4, token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.deepEqual(refused.headers, {});
    assert.equal(stack.executions(), executions);
    assert.equal(await counter('client:internal:sub:no-scopes'), null);
  });

  test('operations are weighted by the number of fields they select', async () => {
    const token = internal('weigher');
    const steps: [string, string][] = [
      ['{ __typename }', '11'],
      [Q4, '7'],
      ['{ promotions(first: 1) { edges { node { id name state } } } }', '1'],
      ['{ __typename }', '0'],
    ];
    for (const [query, remaining] of steps) {
      const ok = await send(query, token);
      assert.deepEqual([ok.status, ok.headers['ratelimit-remaining']], [200, remaining], query);
    }
    assert.equal((await send('{ __typename }', token)).status, 429);
    assert.equal(await counter('client:internal:sub:weigher'), '12');
  });
});
