import type { CachePortName, PortCachePolicy } from '../../policies/cache-policy.ts';
import {
  readSubgraphConfig,
  type SubgraphConfig,
  type SubgraphName,
} from '../../subgraphs/shared/config.ts';
import { TEST_PRINCIPAL_SECRETS } from './principal.ts';

export type SubgraphConfigPatch = Partial<Omit<SubgraphConfig, 'subgraphUrls'>> & {
  /** The URLs of the subgraphs the test started; the others keep their defaults. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /**
   * Ports' `fresh` windows, as CACHE_TTL_<PORT>_MS sets them (0: uncached, no stale windows);
   * the others keep policies/caching.yaml.
   */
  cacheTtlMs?: Partial<Record<CachePortName, number>>;
};

/** A port policy fresh for `ms` and never stale (unit tests of the caching decorators). */
export function freshFor(ms: number): PortCachePolicy {
  return { freshMs: ms, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 };
}

/**
 * A subgraph config for a test: the defaults of an empty environment (embedded PGlite in
 * memory, in-process event bus, the development channel signing secret), the test principal
 * secrets, and `patch` (the test's back-end and subgraph URLs, a database or Redis URL).
 */
export function testSubgraphConfig(patch: SubgraphConfigPatch = {}): SubgraphConfig {
  const { cacheTtlMs, ...rest } = patch;
  const defaults = readSubgraphConfig({});
  const cachePolicy = { ...(rest.cachePolicy ?? defaults.cachePolicy) };
  for (const [port, ms] of Object.entries(cacheTtlMs ?? {}) as [CachePortName, number][]) {
    cachePolicy[port] = ms === 0 ? freshFor(0) : { ...cachePolicy[port], freshMs: ms };
  }
  return {
    ...defaults,
    principalSecrets: [...TEST_PRINCIPAL_SECRETS],
    ...rest,
    cachePolicy,
    subgraphUrls: { ...defaults.subgraphUrls, ...patch.subgraphUrls },
  };
}
