import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  bucketLimiterOf,
  limiterCache,
  limiterKeyPrefix,
  type LimiterStore,
} from './limiter-store.ts';

export type MemoryLimiterStoreOptions = {
  /** Namespace inside `rl:`. Default none. */
  prefix?: string;
};

/**
 * Counters in this process (rate-limiter-flexible's RateLimiterMemory): the embedded default and
 * tests. One gateway instance only: N instances would each admit the whole limit.
 */
export function createMemoryLimiterStore(options: MemoryLimiterStoreOptions = {}): LimiterStore {
  const keyPrefix = limiterKeyPrefix(options.prefix);
  return {
    kind: 'memory',
    limiter: limiterCache((points, duration) =>
      bucketLimiterOf(new RateLimiterMemory({ points, duration, keyPrefix }), points, duration),
    ),
    async close() {},
  };
}
