import type { PortCachePolicy } from '../../../policies/cache-policy.ts';
import type { Cache } from './cache.ts';
import { cachedBatch } from './cached-batch.ts';
import { scopedCache, type CacheScope } from './cache-scope.ts';
import { cacheReadCounts } from './read-options.ts';

/**
 * One port's batch read through `cache` under its policy: keys namespaced by `scope`, reads
 * counted per port for /metrics (`subgraph_cache_reads_total`). With Redis, one instance loads a
 * key for all that miss it at once (claims, see `cachedBatch`).
 */
export function cachedPortBatch<K, V>(
  cache: Cache,
  scope: CacheScope,
  policy: PortCachePolicy,
  keyOf: (key: K) => string,
  load: (keys: readonly K[], more: (key: K, value: V) => void) => Promise<readonly V[]>,
  answeredAt?: (value: V) => string | null | undefined,
) {
  return cachedBatch<K, V>({
    cache: scopedCache(cache, scope),
    policy,
    keyOf,
    load,
    ...(answeredAt ? { answeredAt } : {}),
    counts: cacheReadCounts(cache, scope.port),
  });
}

/** The policy with its stale windows closed: for reads that decide money. */
export function freshOnly(policy: PortCachePolicy): PortCachePolicy {
  return { freshMs: policy.freshMs, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 };
}
