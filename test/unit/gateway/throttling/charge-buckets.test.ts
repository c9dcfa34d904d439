import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chargeBuckets } from '../../../../gateway/throttling/charge-buckets.ts';
import type { LimiterStore } from '../../../../gateway/throttling/limiter-store.ts';
import { createMemoryLimiterStore } from '../../../../gateway/throttling/memory-limiter-store.ts';
import type { Bucket } from '../../../../gateway/throttling/select-buckets.ts';

const WINDOW = 60;
const clientA: Bucket = { key: 'client:ECOMMERCE:azp:a', limit: 10, label: 'client a' };
const clientB: Bucket = { key: 'client:ECOMMERCE:azp:b', limit: 10, label: 'client b' };
const channel: Bucket = { key: 'channel:ECOMMERCE', limit: 15, label: 'channel ECOMMERCE' };

/** Points a bucket has left (charges the whole rest, then gives it back). */
async function left(store: LimiterStore, bucket: Bucket): Promise<number> {
  const limiter = store.limiter(bucket.limit, WINDOW);
  for (let points = bucket.limit; points > 0; points--) {
    const state = await limiter.consume(bucket.key, points);
    if (state.allowed) {
      await limiter.refund(bucket.key, points);
      return points;
    }
  }
  return 0;
}

describe('charging an operation to its buckets', () => {
  test('admits while every bucket has the points, reports the tightest, refunds on refusal', async () => {
    const store = createMemoryLimiterStore();
    const first = await chargeBuckets(store, [clientA, channel], 4, WINDOW);
    assert.deepEqual([first.admitted, first.bucket, first.state.remaining], [true, clientA, 6]);
    assert.ok(first.state.resetMs > 0 && first.state.resetMs <= WINDOW * 1000);

    const second = await chargeBuckets(store, [clientB, channel], 8, WINDOW);
    assert.deepEqual([second.admitted, second.bucket, second.state.remaining], [true, clientB, 2]);

    // client a still has 6, the channel only 3: refused by the channel, client a refunded
    const third = await chargeBuckets(store, [clientA, channel], 4, WINDOW);
    assert.deepEqual([third.admitted, third.bucket, third.state.remaining], [false, channel, 3]);
    assert.equal(await left(store, clientA), 6);
    assert.equal(await left(store, channel), 3);
  });

  test('a client over its own limit does not use up the channel', async () => {
    const store = createMemoryLimiterStore();
    assert.equal((await chargeBuckets(store, [clientA, channel], 10, WINDOW)).admitted, true);
    for (let i = 0; i < 20; i++) {
      const refused = await chargeBuckets(store, [clientA, channel], 1, WINDOW);
      assert.deepEqual(
        [refused.admitted, refused.bucket, refused.state.remaining],
        [false, clientA, 0],
      );
    }
    assert.equal(await left(store, channel), 5);
    assert.equal((await chargeBuckets(store, [clientB, channel], 5, WINDOW)).admitted, true);
  });

  test('a cost above a limit is refused without touching any counter', async () => {
    const store = createMemoryLimiterStore();
    const refused = await chargeBuckets(store, [clientA, channel], 11, WINDOW);
    assert.equal(refused.admitted, false);
    assert.equal(refused.bucket, clientA);
    assert.deepEqual(refused.state, { allowed: false, remaining: 10, resetMs: WINDOW * 1000 });
    assert.equal(await left(store, clientA), 10);
    assert.equal(await left(store, channel), 15);
  });
});
