import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryCache } from '../../../../subgraphs/shared/cache/memory-cache.ts';

const T0 = 1_767_225_600_000;

describe('in-process cache (lru-cache)', () => {
  test('stores JSON values per key; a miss is undefined and null is a value', async () => {
    const cache = createMemoryCache();
    await cache.set('a', { amount: '1.00', tags: ['x'] }, 1000);
    await cache.setMany(
      [
        ['b', null],
        ['c', 0],
        ['skipped', undefined],
      ],
      1000,
    );
    assert.deepEqual(await cache.get('a'), { amount: '1.00', tags: ['x'] });
    assert.deepEqual(await cache.getMany(['c', 'nope', 'b', 'skipped']), [
      0,
      undefined,
      null,
      undefined,
    ]);
    assert.equal(cache.kind, 'memory');
  });

  test('an entry is served for its TTL (inclusive), each entry with its own', async () => {
    let clock = T0;
    const cache = createMemoryCache({ now: () => clock });
    await cache.set('short', 1, 100);
    await cache.set('long', 2, 1000);
    clock = T0 + 100;
    assert.deepEqual(await cache.getMany(['short', 'long']), [1, 2]);
    clock = T0 + 101;
    assert.deepEqual(await cache.getMany(['short', 'long']), [undefined, 2]);
    clock = T0 + 1001;
    assert.equal(await cache.get('long'), undefined);
  });

  test('a TTL of 0 stores nothing', async () => {
    const cache = createMemoryCache();
    await cache.set('a', 1, 0);
    assert.equal(await cache.get('a'), undefined);
  });

  test('beyond maxEntries the least recently used entry goes first', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1, 1000);
    await cache.set('b', 2, 1000);
    await cache.get('a');
    await cache.set('c', 3, 1000);
    assert.deepEqual(await cache.getMany(['a', 'b', 'c']), [1, undefined, 3]);
  });

  test('close empties it', async () => {
    const cache = createMemoryCache();
    await cache.set('a', 1, 1000);
    await cache.close();
    assert.equal(await cache.get('a'), undefined);
  });
});
