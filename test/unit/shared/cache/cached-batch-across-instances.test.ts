import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Cache, KeyValueCache } from '../../../../subgraphs/shared/cache/cache.ts';
import { scopedCache } from '../../../../subgraphs/shared/cache/cache-scope.ts';
import {
  cachedBatch,
  type CachedBatchOptions,
} from '../../../../subgraphs/shared/cache/cached-batch.ts';
import { emptyCacheReadCounts } from '../../../../subgraphs/shared/cache/read-options.ts';
import {
  createCacheRedisClient,
  createRedisCache,
} from '../../../../subgraphs/shared/cache/redis-cache.ts';
import type { PortCachePolicy } from '../../../../policies/cache-policy.ts';
import {
  SHARED_REDIS_URL,
  sharedRedisSkipReason,
} from '../../../integration/throttling/redis-process.ts';
import { freePort } from '../../../helpers/free-port.ts';

const skip = await sharedRedisSkipReason();

const FRESH: PortCachePolicy = { freshMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 };

/**
 * The ERP as every instance sees it: each load is recorded (which instance, which keys), takes
 * `delayMs`, and answers `<key>!`; an instance set to fail throws instead.
 */
function erp(delayMs = 60) {
  const calls: { by: string; keys: string[] }[] = [];
  const failing = new Set<string>();
  return {
    calls,
    failing,
    keysLoaded: () => calls.flatMap((c) => c.keys).sort(),
    loadFor(by: string) {
      return async (keys: readonly string[]): Promise<string[]> => {
        calls.push({ by, keys: [...keys] });
        await sleep(delayMs);
        if (failing.has(by)) throw new Error(`ERP failed for ${by}`);
        return keys.map((k) => `${k}!`);
      };
    },
  };
}

const zeroCounts = emptyCacheReadCounts;

describe('cachedBatch over Redis: one load across instances', { skip: skip ?? false }, () => {
  const caches: Cache[] = [];
  let admin: Redis;
  let refusedUrl: string;
  const namespaces: string[] = [];

  before(async () => {
    admin = new Redis(SHARED_REDIS_URL);
    refusedUrl = `redis://127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    await Promise.all(caches.map((c) => c.close()));
    for (const namespace of namespaces) {
      const keys = await admin.keys(`cache:${namespace}:*`);
      if (keys.length) await admin.del(...keys);
    }
    await admin.quit();
  });

  function newNamespace(): string {
    const namespace = `test-${randomBytes(6).toString('hex')}`;
    namespaces.push(namespace);
    return namespace;
  }

  /** One instance's cache: its own connection (once connected) to the shared Redis. */
  async function open(namespace: string, url = SHARED_REDIS_URL): Promise<Cache> {
    const client = createCacheRedisClient(url);
    const cache = createRedisCache({ client, namespace, log: () => undefined });
    caches.push(cache);
    if (url === SHARED_REDIS_URL) await once(client, 'ready');
    else await once(client, 'error');
    return cache;
  }

  /** One instance's port read (its own in-process state) over `cache`. */
  function instance(
    cache: KeyValueCache,
    load: (keys: readonly string[]) => Promise<string[]>,
    extra: Partial<CachedBatchOptions<string, string>> = {},
  ) {
    return cachedBatch<string, string>({
      cache,
      policy: FRESH,
      keyOf: (k) => k,
      load: (keys) => load(keys),
      ...extra,
    });
  }

  test('claim: SET NX per key, one holder at a time; release frees only its own keys', async () => {
    const namespace = newNamespace();
    const first = await open(namespace);
    const second = await open(namespace);
    const one = await first.claim!(['x', 'y'], 5000);
    const two = await second.claim!(['y', 'z'], 5000);
    assert.deepEqual(one.won, [true, true]);
    assert.deepEqual(two.won, [false, true]);
    await two.release(); // z only: y is the first's
    assert.deepEqual(await admin.exists(`cache:${namespace}:lock:y`), 1);
    assert.deepEqual(await admin.exists(`cache:${namespace}:lock:z`), 0);
    await one.release();
    assert.deepEqual(await admin.keys(`cache:${namespace}:lock:*`), []);
    // A lapsed claim another took since is not the first's to free.
    const three = await first.claim!(['w'], 50);
    await sleep(80);
    const four = await second.claim!(['w'], 5000);
    assert.deepEqual([three.won, four.won], [[true], [true]]);
    await three.release();
    assert.equal(await admin.exists(`cache:${namespace}:lock:w`), 1);
    await four.release();
  });

  test('concurrent misses of the same keys in two instances: one load serves both', async () => {
    const namespace = newNamespace();
    const port = erp();
    const countsA = zeroCounts();
    const countsB = zeroCounts();
    const a = instance(await open(namespace), port.loadFor('a'), { counts: countsA });
    const b = instance(await open(namespace), port.loadFor('b'), { counts: countsB });
    const [fromA, fromB] = await Promise.all([a(['x', 'y']), b(['y', 'x'])]);
    assert.deepEqual(fromA, ['x!', 'y!']);
    assert.deepEqual(fromB, ['y!', 'x!']);
    assert.equal(port.calls.length, 1, JSON.stringify(port.calls));
    assert.deepEqual(port.keysLoaded(), ['x', 'y']);
    // Both missed; the one that did not load was served by the other's load.
    const [loader, waiter] = port.calls[0]!.by === 'a' ? [countsA, countsB] : [countsB, countsA];
    assert.deepEqual(loader, { ...zeroCounts(), miss: 2 });
    assert.deepEqual(waiter, { ...zeroCounts(), miss: 2, shared: 2 });
    // The claims are given back once the values are stored.
    assert.deepEqual(await admin.keys(`cache:${namespace}:lock:*`), []);
  });

  test('claims are cache:<namespace>:lock:<scoped key>, held while loading, freed after', async () => {
    const namespace = newNamespace();
    const port = erp(150);
    const scope = { subgraph: 'pricing', port: 'prices', version: 2 } as const;
    const a = instance(scopedCache(await open(namespace), scope), port.loadFor('a'));
    const read = a(['x']);
    await sleep(50);
    const lock = `cache:${namespace}:lock:pricing:prices:v2:x`;
    const ttl = await admin.pttl(lock);
    assert.ok(ttl > 1000 && ttl <= 2000, `PTTL ${ttl}`);
    assert.deepEqual(await read, ['x!']);
    assert.equal(await admin.exists(lock), 0);
    assert.equal(await admin.get(`cache:${namespace}:pricing:prices:v2:x`).then(Boolean), true);
  });

  test('partly overlapping misses: each key is loaded once', async () => {
    const namespace = newNamespace();
    const port = erp();
    const a = instance(await open(namespace), port.loadFor('a'));
    const b = instance(await open(namespace), port.loadFor('b'));
    const c = instance(await open(namespace), port.loadFor('c'));
    const answers = await Promise.all([a(['p', 'q']), b(['q', 'r']), c(['r', 'p', 's'])]);
    assert.deepEqual(answers, [
      ['p!', 'q!'],
      ['q!', 'r!'],
      ['r!', 'p!', 's!'],
    ]);
    assert.deepEqual(port.keysLoaded(), ['p', 'q', 'r', 's'], JSON.stringify(port.calls));
  });

  test("the holder's load fails: the waiter loads itself at once, not after the wait bound", async () => {
    const namespace = newNamespace();
    const port = erp();
    port.failing.add('a');
    const a = instance(await open(namespace), port.loadFor('a'), { claimWaitMs: 5000 });
    const b = instance(await open(namespace), port.loadFor('b'), { claimWaitMs: 5000 });
    const readA = a(['x']);
    await sleep(10); // a claims first
    const started = performance.now();
    const [fromA, fromB] = await Promise.allSettled([readA, b(['x'])]);
    const took = performance.now() - started;
    assert.equal(fromA.status, 'rejected');
    assert.deepEqual(fromB, { status: 'fulfilled', value: ['x!'] });
    assert.deepEqual(
      port.calls.map((c) => c.by),
      ['a', 'b'],
    );
    assert.ok(took < 1000, `b answered after ${Math.round(took)} ms`);
  });

  test("the holder's load fails with a last known value: the waiter gets it when its own load fails too", async () => {
    const namespace = newNamespace();
    const port = erp(30);
    const policy: PortCachePolicy = {
      freshMs: 1000,
      staleWhileRevalidateMs: 0,
      staleIfErrorMs: 60_000,
    };
    let t = 1_000_000;
    const now = () => t;
    const a = instance(await open(namespace), port.loadFor('a'), { policy, now });
    const b = instance(await open(namespace), port.loadFor('b'), { policy, now });
    assert.deepEqual(await a(['x']), ['x!']);
    t += 5000; // past fresh, within staleIfError
    port.failing.add('a');
    port.failing.add('b');
    const stale: number[] = [];
    const readA = a(['x']);
    await sleep(5);
    const [fromA, fromB] = await Promise.all([
      readA,
      b(['x'], { onStale: (asOf) => stale.push(asOf) }),
    ]);
    assert.deepEqual([fromA, fromB], [['x!'], ['x!']]);
    assert.deepEqual(stale, [1_000_000]);
    assert.deepEqual(
      port.calls.map((c) => c.by),
      ['a', 'a', 'b'],
    );
  });

  test('a holder that never lets go (crashed): the waiter loads once its claim lapses', async () => {
    const namespace = newNamespace();
    const port = erp(10);
    // Another instance claimed `x` and died: its claim lapses after 300 ms.
    await admin.set(`cache:${namespace}:lock:x`, 'crashed', 'PX', 300);
    const b = instance(await open(namespace), port.loadFor('b'), { claimWaitMs: 5000 });
    const started = performance.now();
    assert.deepEqual(await b(['x']), ['x!']);
    const took = performance.now() - started;
    assert.ok(took >= 250 && took < 1500, `b answered after ${Math.round(took)} ms`);
    assert.equal(port.calls.length, 1);
    assert.equal(await admin.exists(`cache:${namespace}:lock:x`), 0);
  });

  test('a holder that holds on past the wait bound: the waiter loads itself after claimWaitMs', async () => {
    const namespace = newNamespace();
    const port = erp(10);
    await admin.set(`cache:${namespace}:lock:x`, 'slow', 'PX', 60_000);
    const b = instance(await open(namespace), port.loadFor('b'), { claimWaitMs: 200 });
    const started = performance.now();
    assert.deepEqual(await b(['x']), ['x!']);
    const took = performance.now() - started;
    assert.ok(took >= 190 && took < 1000, `b answered after ${Math.round(took)} ms`);
    assert.equal(port.calls.length, 1);
    // Not its claim: left alone.
    assert.equal(await admin.get(`cache:${namespace}:lock:x`), 'slow');
  });

  test('Redis refusing connections: every instance loads for itself and answers', async () => {
    const namespace = newNamespace();
    const port = erp(20);
    const a = instance(await open(namespace, refusedUrl), port.loadFor('a'));
    const b = instance(await open(namespace, refusedUrl), port.loadFor('b'));
    const started = performance.now();
    const answers = await Promise.all([a(['x']), b(['x']), a(['y']), b(['y'])]);
    assert.deepEqual(answers, [['x!'], ['x!'], ['y!'], ['y!']]);
    assert.deepEqual(port.keysLoaded(), ['x', 'x', 'y', 'y']);
    assert.ok(performance.now() - started < 500);
  });

  test('one instance without Redis, one with: neither waits for the other', async () => {
    const namespace = newNamespace();
    const port = erp(100);
    const a = instance(await open(namespace), port.loadFor('a'), { claimWaitMs: 5000 });
    const b = instance(await open(namespace, refusedUrl), port.loadFor('b'), {
      claimWaitMs: 5000,
    });
    const started = performance.now();
    assert.deepEqual(await Promise.all([a(['x']), b(['x'])]), [['x!'], ['x!']]);
    assert.ok(performance.now() - started < 500);
    assert.equal(port.calls.length, 2);
  });

  test('stale keys in two instances are read again once, by one of them', async () => {
    const namespace = newNamespace();
    const port = erp(50);
    const policy: PortCachePolicy = {
      freshMs: 1000,
      staleWhileRevalidateMs: 60_000,
      staleIfErrorMs: 0,
    };
    let t = 1_000_000;
    const now = () => t;
    const a = instance(await open(namespace), port.loadFor('a'), { policy, now });
    const b = instance(await open(namespace), port.loadFor('b'), { policy, now });
    assert.deepEqual(await a(['x', 'y']), ['x!', 'y!']);
    t += 5000;
    const stale: string[] = [];
    const onStale = (_: number, reason: string) => stale.push(reason);
    assert.deepEqual(await Promise.all([a(['x', 'y'], { onStale }), b(['y', 'x'], { onStale })]), [
      ['x!', 'y!'],
      ['y!', 'x!'],
    ]);
    assert.equal(stale.length, 4);
    await sleep(300); // both refresh timers (20 ms), one load (50 ms)
    assert.equal(port.calls.length, 2, JSON.stringify(port.calls));
    assert.deepEqual(port.calls[1]!.keys.sort(), ['x', 'y']);
    // The refreshed entries are fresh for both.
    const fresh: string[] = [];
    await b(['x'], { onStale: () => fresh.push('stale') });
    assert.deepEqual(fresh, []);
    assert.equal(port.calls.length, 2);
  });

  test('a fresh read (no-cache) loads itself even while another instance loads the key', async () => {
    const namespace = newNamespace();
    const port = erp(80);
    const a = instance(await open(namespace), port.loadFor('a'));
    const b = instance(await open(namespace), port.loadFor('b'));
    const readA = a(['x']);
    await sleep(10);
    assert.deepEqual(await Promise.all([readA, b(['x'], { fresh: true })]), [['x!'], ['x!']]);
    assert.deepEqual(
      port.calls.map((c) => c.by),
      ['a', 'b'],
    );
    // and with the value cached
    assert.deepEqual(await b(['x'], { fresh: true }), ['x!']);
    assert.equal(port.calls.length, 3);
  });
});
