import type { SubgraphConfig, SubgraphName } from '../config.ts';
import type { Cache } from './cache.ts';
import { createMemoryCache } from './memory-cache.ts';
import { createCacheRedisClient, createRedisCache } from './redis-cache.ts';

/**
 * The subgraph's one cache, from its config: Redis when `redisUrl` is set (shared by every
 * instance, keys `cache:[cacheKeyPrefix:]<subgraph>:...`, claims of a load across instances
 * `cache:[cacheKeyPrefix:]lock:<subgraph>:...`), else the in-process LRU of
 * `cacheMaxEntries` entries. Opens the Redis connection in the background; `close` releases it.
 */
export function createSubgraphCache(
  config: Pick<SubgraphConfig, 'redisUrl' | 'cacheMaxEntries' | 'cacheKeyPrefix'>,
  subgraph: SubgraphName,
): Cache {
  if (!config.redisUrl) return createMemoryCache({ maxEntries: config.cacheMaxEntries });
  return createRedisCache({
    client: createCacheRedisClient(config.redisUrl),
    ...(config.cacheKeyPrefix ? { namespace: config.cacheKeyPrefix } : {}),
    name: subgraph,
  });
}

/** Which cache `createSubgraphCache` opens, for the start-up line. */
export function describeCache(config: Pick<SubgraphConfig, 'redisUrl'>): string {
  return config.redisUrl ? 'ERP cache in Redis' : 'in-process ERP cache';
}
