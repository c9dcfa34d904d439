import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Cache } from '../../../../subgraphs/shared/cache/cache.ts';
import { scopedCache } from '../../../../subgraphs/shared/cache/cache-scope.ts';
import { cachedBatch } from '../../../../subgraphs/shared/cache/cached-batch.ts';
import { createMemoryCache } from '../../../../subgraphs/shared/cache/memory-cache.ts';
import {
  emptyCacheReadCounts,
  type CacheReadCounts,
  type StaleReason,
} from '../../../../subgraphs/shared/cache/read-options.ts';
import type { PortCachePolicy } from '../../../../policies/cache-policy.ts';

/** A port's batch read that records every call and answers `<key>!` (null for `none`). */
function port() {
  const calls: string[][] = [];
  let fail: Error | undefined;
  return {
    calls,
    failWith(error: Error | undefined) {
      fail = error;
    },
    async load(keys: readonly string[]): Promise<(string | null)[]> {
      calls.push([...keys]);
      if (fail) throw fail;
      return keys.map((k) => (k === 'none' ? null : `${k}!`));
    },
  };
}

/** A cache that can never answer: every read a miss, every write dropped. */
const brokenCache: Cache = {
  kind: 'redis',
  get: async () => undefined,
  getMany: async (keys) => keys.map(() => undefined),
  set: async () => undefined,
  setMany: async () => undefined,
  close: async () => undefined,
};

function batch(
  source: ReturnType<typeof port>,
  cache: Cache = createMemoryCache(),
  policy: PortCachePolicy = { freshMs: 1000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 },
  extra: { now?: () => number; counts?: CacheReadCounts } = {},
) {
  return cachedBatch<string, string | null>({
    cache,
    policy,
    keyOf: (k) => k,
    load: (keys) => source.load(keys),
    ...extra,
  });
}

/** A clock for the entries' ages (the memory cache's own TTL clock follows it too). */
function clock() {
  let t = 1_000_000;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

const SWR: PortCachePolicy = {
  freshMs: 1000,
  staleWhileRevalidateMs: 5000,
  staleIfErrorMs: 60_000,
};

const zeroCounts = emptyCacheReadCounts;

/** Lets the background refresh (after its 20 ms wait for other stale keys) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('cachedBatch: a port batch read through the cache', () => {
  test('misses go to the port in one call, hits do not; answers keep the order, null included', async () => {
    const source = port();
    const read = batch(source);
    assert.deepEqual(await read(['a', 'none', 'a']), ['a!', null, 'a!']);
    assert.deepEqual(await read(['b', 'a', 'none']), ['b!', 'a!', null]);
    assert.deepEqual(source.calls, [['a', 'none'], ['b']]);
  });

  test('the same answers and counts whether the cache answers at once (in-process) or later (Redis)', async () => {
    // The in-process cache serves fresh keys without a promise each (peekMany); a cache without
    // it takes the general path. Same keys, same answers, same loads, same counts.
    const memory = createMemoryCache();
    const { peekMany: _peek, ...later } = createMemoryCache();
    for (const cache of [memory, later as Cache]) {
      const source = port();
      const counts = zeroCounts();
      const read = batch(source, cache, undefined, { counts });
      assert.deepEqual(await read(['a', 'none']), ['a!', null]);
      assert.deepEqual(await read(['a', 'b', 'none']), ['a!', 'b!', null]);
      assert.deepEqual(await read(['b', 'a']), ['b!', 'a!']);
      assert.deepEqual(source.calls, [['a', 'none'], ['b']]);
      assert.deepEqual(counts, { ...zeroCounts(), miss: 3, fresh: 4 });
    }
  });

  test('concurrent calls share the load of a key already being loaded (single flight)', async () => {
    const source = port();
    const read = batch(source);
    const [first, second] = await Promise.all([read(['a', 'b']), read(['b', 'c'])]);
    assert.deepEqual(first, ['a!', 'b!']);
    assert.deepEqual(second, ['b!', 'c!']);
    assert.deepEqual(source.calls, [['a', 'b'], ['c']]);
  });

  test('a failed load is not cached and fails the calls that wait for it', async () => {
    const source = port();
    const read = batch(source);
    source.failWith(new Error('erp down'));
    const results = await Promise.allSettled([read(['a']), read(['a', 'b'])]);
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value)),
      ['erp down', 'erp down'],
    );
    source.failWith(undefined);
    assert.deepEqual(await read(['a']), ['a!']);
    assert.deepEqual(source.calls, [['a'], ['b'], ['a']]);
  });

  test('a cache that cannot answer falls through to the port, every time', async () => {
    const source = port();
    const read = batch(source, brokenCache);
    assert.deepEqual(await read(['a']), ['a!']);
    assert.deepEqual(await read(['a']), ['a!']);
    assert.deepEqual(source.calls, [['a'], ['a']]);
  });

  test('scoped keys carry subgraph, port and version: another version never reads them', async () => {
    const cache = createMemoryCache();
    const v1 = scopedCache(cache, { subgraph: 'pricing', port: 'prices', version: 1 });
    const v2 = scopedCache(cache, { subgraph: 'pricing', port: 'prices', version: 2 });
    await v1.set('TG11', 'old shape', 1000);
    assert.equal(await cache.get('pricing:prices:v1:TG11'), 'old shape');
    assert.equal(await v2.get('TG11'), undefined);
    assert.equal(
      await scopedCache(cache, { subgraph: 'funding', port: 'prices', version: 1 }).get('TG11'),
      undefined,
    );
  });

  test('past fresh, within staleWhileRevalidate: served stale at once and read again once in the background', async () => {
    const source = port();
    const time = clock();
    const counts = zeroCounts();
    const read = batch(source, createMemoryCache({ now: time.now }), SWR, {
      now: time.now,
      counts,
    });
    await read(['a', 'b']);
    time.advance(2000);
    const stale: [number, StaleReason][] = [];
    const onStale = (asOf: number, reason: StaleReason) => stale.push([asOf, reason]);
    // Two reads of the stale keys before a refresh lands: both served at once, one refresh for both.
    assert.deepEqual(await Promise.all([read(['a'], { onStale }), read(['a', 'b'], { onStale })]), [
      ['a!'],
      ['a!', 'b!'],
    ]);
    await settle();
    assert.deepEqual(source.calls, [
      ['a', 'b'],
      ['a', 'b'],
    ]);
    assert.deepEqual(stale, [
      [1_000_000, 'revalidating'],
      [1_000_000, 'revalidating'],
      [1_000_000, 'revalidating'],
    ]);
    // The refreshed entries are fresh again: no stale report, no load.
    stale.length = 0;
    assert.deepEqual(await read(['a', 'b'], { onStale }), ['a!', 'b!']);
    assert.deepEqual(stale, []);
    assert.equal(source.calls.length, 2);
    // 'a' is counted once: the second call waited for the first call's read of it.
    assert.deepEqual(counts, { fresh: 2, stale: 2, miss: 2, shared: 0, staleIfError: 0, error: 0 });
  });

  test('a failed background refresh keeps the entry; past the window the read waits for the port', async () => {
    const source = port();
    const time = clock();
    const read = batch(source, createMemoryCache({ now: time.now }), SWR, { now: time.now });
    await read(['a']);
    time.advance(2000);
    source.failWith(new Error('erp down'));
    assert.deepEqual(await read(['a']), ['a!']);
    await settle();
    source.failWith(undefined);
    time.advance(5000); // 7 s old: past fresh + staleWhileRevalidate
    assert.deepEqual(await read(['a']), ['a!']);
    assert.deepEqual(source.calls, [['a'], ['a'], ['a']]);
  });

  test('the back-end down: the last known value within staleIfError, marked; beyond it, the error', async () => {
    const source = port();
    const time = clock();
    const counts = zeroCounts();
    const read = batch(source, createMemoryCache({ now: time.now }), SWR, {
      now: time.now,
      counts,
    });
    await read(['a']);
    time.advance(30_000);
    source.failWith(new Error('erp down'));
    const stale: [number, StaleReason][] = [];
    const onStale = (asOf: number, reason: StaleReason) => stale.push([asOf, reason]);
    // 'b' was never read: nothing to fall back to, so the call fails as a whole.
    await assert.rejects(read(['a', 'b'], { onStale }), /erp down/);
    assert.deepEqual(await read(['a'], { onStale }), ['a!']);
    assert.deepEqual(stale, [[1_000_000, 'backend-unavailable']]);
    time.advance(31_001); // 61.001 s old: past fresh + staleIfError
    await assert.rejects(read(['a']), /erp down/);
    assert.deepEqual(counts, { fresh: 0, stale: 0, miss: 5, shared: 0, staleIfError: 2, error: 2 });
  });

  test('fresh reads skip fresh entries, but still fall back to the last known value when the port fails', async () => {
    const source = port();
    const time = clock();
    const read = batch(source, createMemoryCache({ now: time.now }), SWR, { now: time.now });
    await read(['a']);
    assert.deepEqual(await read(['a'], { fresh: true }), ['a!']);
    assert.equal(source.calls.length, 2);
    time.advance(100);
    source.failWith(new Error('erp down'));
    const stale: [number, StaleReason][] = [];
    assert.deepEqual(
      await read(['a'], { fresh: true, onStale: (asOf, reason) => stale.push([asOf, reason]) }),
      ['a!'],
    );
    assert.deepEqual(stale, [[1_000_000, 'backend-unavailable']]);
  });

  test('without stale windows (money) nothing past fresh is served: the port answers or fails', async () => {
    const source = port();
    const time = clock();
    const read = batch(
      source,
      createMemoryCache({ now: time.now }),
      { freshMs: 1000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 },
      { now: time.now },
    );
    await read(['a']);
    time.advance(1001);
    source.failWith(new Error('erp down'));
    await assert.rejects(read(['a']), /erp down/);
  });

  test('an entry of another shape (written before entries carried their time) is a miss', async () => {
    const source = port();
    const cache = createMemoryCache();
    await cache.set('a', 'raw old value', 60_000);
    const read = batch(source, cache);
    assert.deepEqual(await read(['a']), ['a!']);
    assert.deepEqual(source.calls, [['a']]);
  });

  test('stale keys waiting for their background read ride along with the next misses: one load', async () => {
    const source = port();
    const time = clock();
    const read = batch(source, createMemoryCache({ now: time.now }), SWR, { now: time.now });
    await read(['a']);
    time.advance(2000);
    assert.deepEqual(await read(['a']), ['a!']); // stale: queued for a refresh
    assert.deepEqual(await read(['b']), ['b!']); // a miss: loads b, and a along with it
    await settle();
    assert.deepEqual(source.calls, [['a'], ['b', 'a']]);
    const stale: StaleReason[] = [];
    await read(['a'], { onStale: (_asOf, reason) => stale.push(reason) });
    assert.deepEqual(stale, [], 'a is fresh again');
  });

  test('what a read answered beyond its keys is cached too: a later read of it loads nothing', async () => {
    const calls: string[][] = [];
    const read = cachedBatch<string, string>({
      cache: createMemoryCache(),
      policy: { freshMs: 1000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 },
      keyOf: (k) => k,
      async load(keys, more) {
        calls.push([...keys]);
        more('x', 'x!'); // answered without being asked (e.g. a cross product's other pairs)
        more(keys[0]!, 'not this one'); // an asked key keeps the answer it was asked for
        return keys.map((k) => `${k}!`);
      },
    });
    assert.deepEqual(await read(['a']), ['a!']);
    assert.deepEqual(await read(['x', 'a']), ['x!', 'a!']);
    assert.deepEqual(calls, [['a']]);
  });
});
