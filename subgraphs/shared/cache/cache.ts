/**
 * The cache every port's caching decorator writes through: an in-process LRU (memory-cache.ts)
 * or Redis (redis-cache.ts), chosen by the subgraph config (create-cache.ts). Values are JSON
 * values (Redis stores them as JSON). A cache never throws: a key it cannot answer is a miss and
 * a write it cannot make is dropped, so a request falls through to the port instead of failing.
 * A cache shared by instances (Redis) can also `claim` keys, so one instance loads them for all
 * (`cachedBatch`); a claim it cannot make is this caller's, so the caller loads.
 */
export type KeyValueCache = {
  /** The value stored under `key`, `undefined` on a miss. Never rejects. */
  get(key: string): Promise<unknown>;
  /** One value per key, in order, `undefined` for a miss. Never rejects. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /**
   * `getMany` answered at once, by a cache that needs no I/O for it (the in-process one); absent
   * on a cache that does (Redis). Never throws.
   */
  peekMany?(keys: readonly string[]): unknown[];
  /** Stores `value` (not `undefined`) for `ttlMs` (> 0). Never rejects. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Stores every entry for `ttlMs` (> 0). Never rejects. */
  setMany(entries: readonly CacheEntry[], ttlMs: number): Promise<void>;
  /**
   * The epoch-ms clock the cache's TTLs run on, when it is not the real one (a test's clock):
   * `cachedBatch` ages entries on it too. Undefined: `Date.now`.
   */
  readonly clock?: () => number;
  /**
   * Claims `keys` for one back-end load across every instance sharing the cache (Redis only;
   * absent on a cache of one process): per key, whether this call now holds it for `ttlMs`
   * (> 0), after which it lapses on its own (a crashed holder blocks no one longer). A cache
   * that cannot tell (Redis down, slow, paused) answers "held", so the caller loads itself.
   * Never rejects.
   */
  claim?(keys: readonly string[], ttlMs: number): Promise<CacheClaim>;
};

/** What `claim` answered, and how to give the keys it holds back. */
export type CacheClaim = {
  /** Per key, in order: true when this claim holds the key (or the cache could not tell). */
  readonly won: readonly boolean[];
  /** Gives up the keys this claim still holds (never another's). Never rejects. */
  release(): Promise<void>;
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
