import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Cache } from '../../../../subgraphs/shared/cache/cache.ts';
import { scopedCache } from '../../../../subgraphs/shared/cache/cache-scope.ts';
import { cachedBatch } from '../../../../subgraphs/shared/cache/cached-batch.ts';
import { createMemoryCache } from '../../../../subgraphs/shared/cache/memory-cache.ts';

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

function batch(source: ReturnType<typeof port>, cache: Cache = createMemoryCache()) {
  return cachedBatch<string, string | null>({
    cache,
    ttlMs: 1000,
    keyOf: (k) => k,
    load: (keys) => source.load(keys),
  });
}

describe('cachedBatch: a port batch read through the cache', () => {
  test('misses go to the port in one call, hits do not; answers keep the order, null included', async () => {
    const source = port();
    const read = batch(source);
    assert.deepEqual(await read(['a', 'none', 'a']), ['a!', null, 'a!']);
    assert.deepEqual(await read(['b', 'a', 'none']), ['b!', 'a!', null]);
    assert.deepEqual(source.calls, [['a', 'none'], ['b']]);
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
});
