import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import {
  bucketLimiterOf,
  limiterCache,
  limiterKeyPrefix,
  type LimiterStore,
} from './limiter-store.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

export type LimiterRedisClientOptions = {
  /** A command not answered in this time fails over to the insurance limiter. Default 1000. */
  commandTimeoutMs?: number;
};

/**
 * An ioredis client fit for limiting: commands fail at once while the connection is down (no
 * offline queue) or after `commandTimeoutMs`, so a request never waits for Redis to come back:
 * the insurance limiter answers instead. ioredis reconnects on its own (backing off up to 2 s).
 */
export function createLimiterRedisClient(
  url: string,
  options: LimiterRedisClientOptions = {},
): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    retryStrategy: (attempt) => Math.min(attempt * 50, 2000),
  });
}

export type RedisLimiterStoreOptions = {
  /** From `createLimiterRedisClient(url)`; the store owns it (`close` quits it). */
  client: Redis;
  /** Namespace inside `rl:` (several deployments on one Redis, test runs). Default none. */
  prefix?: string;
  /** Where failover and recovery are reported. Default: the process's logger (warn). */
  log?: (line: string) => void;
};

/**
 * Counters in Redis (rate-limiter-flexible's RateLimiterRedis, one atomic Lua INCRBY per bucket),
 * shared by every gateway instance, keys `rl:[prefix:]<bucket>`. Each limiter has an in-memory
 * insurance limiter (its `insuranceLimiter` option): while Redis fails, this instance keeps
 * limiting in memory with the same limits (per instance, starting from zero); when the client is
 * ready again, Redis answers again. Nothing is copied back between the two.
 */
export function createRedisLimiterStore(options: RedisLimiterStoreOptions): LimiterStore {
  const { client } = options;
  const log = options.log ?? ((line: string) => processLogger().warn(line));
  const keyPrefix = limiterKeyPrefix(options.prefix);
  let degraded = false;
  let closing = false;
  const failover = (reason: string) => {
    if (degraded || closing) return;
    degraded = true;
    log(
      `[gateway] rate limits: Redis unavailable (${reason}); limiting in memory on this instance until it returns`,
    );
  };
  client.on('error', (error: Error) => failover(error.message));
  client.on('close', () => failover('connection closed'));
  client.on('ready', () => {
    if (!degraded) return;
    degraded = false;
    log('[gateway] rate limits: Redis is back; limits are shared again');
  });
  return {
    kind: 'redis',
    limiter: limiterCache((points, duration) => {
      const insuranceLimiter = new RateLimiterMemory({ points, duration, keyPrefix });
      const limiter = new RateLimiterRedis({
        storeClient: client,
        points,
        duration,
        keyPrefix,
        rejectIfRedisNotReady: true,
        insuranceLimiter,
      });
      return bucketLimiterOf(limiter, points, duration);
    }),
    async close() {
      closing = true;
      await client.quit().catch(() => client.disconnect());
    },
  };
}
