import type { KeyValueCache } from './cache.ts';

export type CachedBatchOptions<K, V> = {
  /** Usually `scopedCache(cache, { subgraph, port, version })`. */
  cache: KeyValueCache;
  /** How long a loaded value is kept (> 0). */
  ttlMs: number;
  /** The cache key of a lookup; lookups with the same key share one value. */
  keyOf: (key: K) => string;
  /** The port's batch read: one value per key, in order. */
  load: (keys: readonly K[]) => Promise<readonly V[]>;
};

type Pending<K, V> = {
  id: string;
  key: K;
  promise: Promise<V>;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
};

/**
 * A port's batch read through the cache: one value per key, in order. Hits come from the cache;
 * the misses of one call go to the port in one `load` and are stored for `ttlMs` (`null`, "none",
 * is cached like any value). A key another call is already loading waits for that load instead
 * of loading again (single flight, in this process). A failed load is not cached and fails only
 * the calls that wait for it; a cache that cannot answer is a miss.
 */
export function cachedBatch<K, V>(options: CachedBatchOptions<K, V>) {
  const { cache, ttlMs, keyOf, load } = options;
  const inFlight = new Map<string, Promise<V>>();

  async function fill(pending: readonly Pending<K, V>[]): Promise<void> {
    try {
      const cached = await cache.getMany(pending.map((p) => p.id));
      const misses = pending.filter((p, i) => {
        if (cached[i] === undefined) return true;
        p.resolve(cached[i] as V);
        return false;
      });
      if (misses.length === 0) return;
      const values = await load(misses.map((p) => p.key));
      // Issued before anyone resumes, so a later read on the same connection sees it.
      void cache.setMany(
        misses.map((p, i) => [p.id, values[i]]),
        ttlMs,
      );
      misses.forEach((p, i) => p.resolve(values[i] as V));
    } catch (error) {
      for (const p of pending) p.reject(error);
    } finally {
      for (const p of pending) if (inFlight.get(p.id) === p.promise) inFlight.delete(p.id);
    }
  }

  return (keys: readonly K[]): Promise<V[]> => {
    const waiting = new Map<string, Promise<V>>();
    const mine: Pending<K, V>[] = [];
    const ids = keys.map(keyOf);
    keys.forEach((key, i) => {
      const id = ids[i]!;
      if (waiting.has(id)) return;
      const loading = inFlight.get(id);
      if (loading) {
        waiting.set(id, loading);
        return;
      }
      const pending = deferred<K, V>(id, key);
      inFlight.set(id, pending.promise);
      waiting.set(id, pending.promise);
      mine.push(pending);
    });
    if (mine.length > 0) void fill(mine);
    return Promise.all(ids.map((id) => waiting.get(id)!));
  };
}

function deferred<K, V>(id: string, key: K): Pending<K, V> {
  let resolve!: (value: V) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Awaited by every caller; this only keeps a rejection nobody awaits any more from being unhandled.
  promise.catch(() => undefined);
  return { id, key, promise, resolve, reject };
}
