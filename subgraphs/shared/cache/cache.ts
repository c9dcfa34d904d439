/**
 * The cache every port's caching decorator writes through: an in-process LRU (memory-cache.ts)
 * or Redis (redis-cache.ts), chosen by the subgraph config (create-cache.ts). Values are JSON
 * values (Redis stores them as JSON). A cache never throws: a key it cannot answer is a miss and
 * a write it cannot make is dropped, so a request falls through to the port instead of failing.
 */
export type KeyValueCache = {
  /** The value stored under `key`, `undefined` on a miss. Never rejects. */
  get(key: string): Promise<unknown>;
  /** One value per key, in order, `undefined` for a miss. Never rejects. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /** Stores `value` (not `undefined`) for `ttlMs` (> 0). Never rejects. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Stores every entry for `ttlMs` (> 0). Never rejects. */
  setMany(entries: readonly CacheEntry[], ttlMs: number): Promise<void>;
  /**
   * The epoch-ms clock the cache's TTLs run on, when it is not the real one (a test's clock):
   * `cachedBatch` ages entries on it too. Undefined: `Date.now`.
   */
  readonly clock?: () => number;
};

export type CacheEntry = readonly [key: string, value: unknown];

export type Cache = KeyValueCache & {
  /** `memory`: this process only; `redis`: shared by every instance. */
  readonly kind: 'memory' | 'redis';
  /** Releases the store (the Redis connection); the cache answers nothing after. */
  close(): Promise<void>;
};

/**
 * Prefix of every key: `cache:` and, when deployments share one Redis, their namespace
 * (`cache:<namespace>:`). House style: Redis keys carry constant prefixes.
 */
export function cacheKeyPrefix(namespace?: string): string {
  return namespace ? `cache:${namespace}:` : 'cache:';
}
