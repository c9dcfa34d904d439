/** Why an answer was served stale: read again in the background, or the back-end failed. */
export type StaleReason = 'revalidating' | 'backend-unavailable';

/** What one read through a cached port asks for and hears about (all optional). */
export type ReadOptions = {
  /** Skip cached entries and ask the back-end (the caller sent `Cache-Control: no-cache`). */
  fresh?: boolean;
  /** Told of every answer served stale: when the back-end answered it (epoch ms), and why. */
  onStale?: (asOf: number, reason: StaleReason) => void;
};

/** How one port's reads were served, counted since start (for /metrics). */
export type CacheReadCounts = {
  /** From an entry within `fresh`. */
  fresh: number;
  /** From an entry past `fresh`, refreshed in the background. */
  stale: number;
  /** Not in the cache (or skipped): read from the back-end. */
  miss: number;
  /**
   * A miss another instance was loading (claimed in Redis): served by its load, not by one of
   * this instance's (counted in `miss` too).
   */
  shared: number;
  /** A miss the back-end failed, served from an entry within `staleIfError`. */
  staleIfError: number;
  /** A miss the back-end failed with nothing to fall back to. */
  error: number;
};

export const CACHE_READ_OUTCOMES = [
  'fresh',
  'stale',
  'miss',
  'shared',
  'staleIfError',
  'error',
] as const;

/** Every outcome at zero. */
export function emptyCacheReadCounts(): CacheReadCounts {
  return { fresh: 0, stale: 0, miss: 0, shared: 0, staleIfError: 0, error: 0 };
}

const countsByCache = new WeakMap<object, Map<string, CacheReadCounts>>();

/** The read counts of `port` in `cache` (one set per cache object and port, created on first use). */
export function cacheReadCounts(cache: object, port: string): CacheReadCounts {
  let ports = countsByCache.get(cache);
  if (!ports) countsByCache.set(cache, (ports = new Map()));
  let counts = ports.get(port);
  if (!counts) ports.set(port, (counts = emptyCacheReadCounts()));
  return counts;
}

/** Every port's read counts in `cache`, for /metrics. */
export function allCacheReadCounts(cache: object): ReadonlyMap<string, CacheReadCounts> {
  return countsByCache.get(cache) ?? new Map();
}
