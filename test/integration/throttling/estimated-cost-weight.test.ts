import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMemoryLimiterStore } from '../../../gateway/throttling/memory-limiter-store.ts';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import type { Budget, ThrottlingPolicy } from '../../../policies/throttling-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { post, tokenFor } from './throttle-client.ts';

const operations = loadOperationsPolicy('policies/operations.yaml', {
  knownTokenClasses: ['channel-app', 'partner', 'internal'],
});
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
    internal: { ...big, perClient: { points: 250, mutationPoints: 100 } },
    anonymous: big,
  },
  partners: { default: big, overrides: {} },
  subscriptions: { perClient: 20 },
};

describe('by default a request weighs its estimated cost (the limits’ demand-control cost)', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({
      skus: 10,
      locations: 2,
      vendors: 1,
      throttle: { policy: POLICY, store: createMemoryLimiterStore() },
      // The committed cost model: promotions is sized by `first`.
      operations: () => operations,
    });
  });
  after(async () => stack?.close());

  test('a page of 100 costs about 100 times a page of 1', async () => {
    const token = tokenFor({ tokenClass: 'internal', subject: 'estimator' });
    const page = (n: number) => `{ promotions(first: ${n}) { edges { node { id } } } }`;
    const one = await post(stack.gatewayUrl, page(1), token);
    // promotions 1 + 1 edge × (edge 1 + node 1) = 3 points: 250 - 3
    assert.deepEqual([one.status, one.headers['ratelimit-remaining']], [200, '247']);
    const hundred = await post(stack.gatewayUrl, page(100), token);
    // 1 + 100 × 2 = 201 points: 247 - 201
    assert.deepEqual([hundred.status, hundred.headers['ratelimit-remaining']], [200, '46']);
    const again = await post(stack.gatewayUrl, page(100), token);
    assert.equal(again.status, 429);
  });
});
