import type { LimiterStore } from './limiter-store.ts';
import { createMemoryLimiterStore } from './memory-limiter-store.ts';
import { createLimiterRedisClient, createRedisLimiterStore } from './redis-limiter-store.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

export type LimiterStoreConfig = {
  /** REDIS_URL: set → Redis (shared by every instance); unset → memory (one instance only). */
  redisUrl?: string | undefined;
  /** THROTTLING_KEY_PREFIX: namespace inside `rl:`. */
  prefix?: string;
  /**
   * Where the choice (and Redis failover) is reported. Default: the process's logger (info;
   * failover warn).
   */
  log?: (line: string) => void;
};

/** `host:port` of a Redis URL, without credentials, for the log. */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

/** The gateway's limiter store from its config; logs which one it is. */
export function createLimiterStore(config: LimiterStoreConfig): LimiterStore {
  const log = config.log ?? ((line: string) => processLogger().info(line));
  const prefix = config.prefix ? { prefix: config.prefix } : {};
  if (!config.redisUrl) {
    log(
      '[gateway] rate limits: in-process memory (REDIS_URL unset): limits hold for this instance only',
    );
    return createMemoryLimiterStore(prefix);
  }
  log(
    `[gateway] rate limits: Redis at ${redisAddress(config.redisUrl)}, shared by every instance (in-memory insurance while it is down)`,
  );
  return createRedisLimiterStore({
    client: createLimiterRedisClient(config.redisUrl),
    ...prefix,
    ...(config.log ? { log: config.log } : {}),
  });
}
