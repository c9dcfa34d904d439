import { LRUCache } from 'lru-cache';
import { cacheKeyPrefix, type Cache } from './cache.ts';

export type MemoryCacheOptions = {
  /** Most entries kept (every port of the subgraph together); the least recently used go first. Default 100 000. */
  maxEntries?: number;
  /** Clock of the TTLs (epoch ms), for tests. Default `performance.now`. */
  now?: () => number;
};

/**
 * The in-process cache (lru-cache with a TTL per entry): the default when the subgraph has no
 * Redis. An entry is served while it is at most its TTL old. Values are kept as they are, not
 * copied: callers must not mutate what they read. It has no `claim`: one process has nobody to
 * share a load with beyond `cachedBatch`'s own single flight.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const prefix = cacheKeyPrefix();
  // Wrapped: lru-cache stores no null, and `null` (e.g. "no price") is a value worth caching.
  const lru = new LRUCache<string, { value: unknown }>({
    max: options.maxEntries ?? 100_000,
    // Check the clock on every read (no timers), so an entry is never served past its TTL.
    ttlResolution: 0,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  const get = (key: string): unknown => lru.get(prefix + key)?.value;
  const set = (key: string, value: unknown, ttlMs: number): void => {
    if (value !== undefined && ttlMs > 0) lru.set(prefix + key, { value }, { ttl: ttlMs });
  };
  return {
    kind: 'memory',
    ...(options.now ? { clock: options.now } : {}),
    get: async (key) => get(key),
    getMany: async (keys) => keys.map(get),
    peekMany: (keys) => keys.map(get),
    set: async (key, value, ttlMs) => set(key, value, ttlMs),
    async setMany(entries, ttlMs) {
      for (const [key, value] of entries) set(key, value, ttlMs);
    },
    async close() {
      lru.clear();
    },
  };
}
