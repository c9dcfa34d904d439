import type { SubgraphName } from '../config.ts';
import type { CacheEntry, KeyValueCache } from './cache.ts';

/** Whose entries these are: keys are `<subgraph>:<port>:v<version>:<key>` below the cache prefix. */
export type CacheScope = {
  subgraph: SubgraphName;
  /** The port's name, e.g. `stock`, `prices`. */
  port: string;
  /**
   * Version of the canonical type the port returns (declared next to the type). Bumping it
   * makes every entry of the old shape unreachable, in every instance sharing the cache.
   */
  version: number;
};

/** The part of `cache` one port writes to: the same cache, every key namespaced by `scope`. */
export function scopedCache(cache: KeyValueCache, scope: CacheScope): KeyValueCache {
  const prefix = `${scope.subgraph}:${scope.port}:v${scope.version}:`;
  const { claim, peekMany } = cache;
  return {
    ...(peekMany ? { peekMany: (keys) => peekMany(keys.map((key) => prefix + key)) } : {}),
    ...(claim
      ? {
          claim: (keys, ttlMs) =>
            claim(
              keys.map((key) => prefix + key),
              ttlMs,
            ),
        }
      : {}),
    ...(cache.clock ? { clock: cache.clock } : {}),
    get: (key) => cache.get(prefix + key),
    getMany: (keys) => cache.getMany(keys.map((key) => prefix + key)),
    set: (key, value, ttlMs) => cache.set(prefix + key, value, ttlMs),
    setMany: (entries, ttlMs) =>
      cache.setMany(
        entries.map(([key, value]): CacheEntry => [prefix + key, value]),
        ttlMs,
      ),
  };
}
