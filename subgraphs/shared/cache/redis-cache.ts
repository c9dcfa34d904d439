import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { cacheKeyPrefix, type Cache, type CacheClaim } from './cache.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

export type CacheRedisClientOptions = {
  /** A command not answered in this time is a miss (or a dropped write). Default 250 ms. */
  commandTimeoutMs?: number;
};

/**
 * An ioredis client fit for a cache: while the connection is down commands fail at once (no
 * offline queue), and a command Redis does not answer fails after `commandTimeoutMs`, so a
 * request never waits on Redis longer than that. ioredis reconnects on its own (backing off up
 * to 2 s).
 */
export function createCacheRedisClient(url: string, options: CacheRedisClientOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    retryStrategy: (attempt) => Math.min(attempt * 50, 2000),
  });
}

export type RedisCacheOptions = {
  /** From `createCacheRedisClient(url)`; the cache owns it (`close` quits it). */
  client: Redis;
  /** Deployment namespace: keys are `cache:<namespace>:...`. Default none (`cache:...`). */
  namespace?: string;
  /** After a failed command, Redis is not asked again for this long (every read a miss). Default 1000 ms. */
  pauseAfterFailureMs?: number;
  /** Where outages and recoveries are reported, once each. Default: the process's logger (warn). */
  log?: (line: string) => void;
  /** Subgraph name in log lines. */
  name?: string;
};

/** Deletes each of KEYS still holding ARGV[1] (the claim's token): a holder frees only its own. */
const RELEASE_CLAIMS = `for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;

/**
 * The cache in Redis, shared by every instance of the subgraph: values as JSON under
 * `cache:[namespace:]<key>` with a TTL (`SET ... PX`), reads with one `MGET`. Claims for one
 * load across instances (`claim`) are `cache:[namespace:]lock:<key>` set to a token of the claim
 * (`SET ... NX PX`, one pipeline), given back by a script that deletes only its own. Redis failing
 * (refused, down, slow, a bad reply) never fails a request: while the client is not connected
 * Redis is not asked (every read a miss), a command that fails or times out is a miss (or a
 * dropped write), and for `pauseAfterFailureMs` after it Redis is not asked either, so a Redis
 * that stops answering costs at most one command timeout per pause.
 */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const { client } = options;
  const prefix = cacheKeyPrefix(options.namespace);
  const lockPrefix = `${prefix}lock:`;
  const pauseMs = options.pauseAfterFailureMs ?? 1000;
  const log = options.log ?? ((line: string) => processLogger().warn(line));
  const who = options.name ? `[${options.name}] cache` : '[cache]';
  let pausedUntil = 0;
  let degraded = false;
  let closing = false;

  const fail = (reason: string): void => {
    pausedUntil = Date.now() + pauseMs;
    if (degraded || closing) return;
    degraded = true;
    log(`${who}: Redis unavailable (${reason}); reading through to the back-end until it returns`);
  };
  client.on('error', (error: Error) => fail(error.message));
  client.on('ready', () => {
    pausedUntil = 0;
    if (!degraded) return;
    degraded = false;
    log(`${who}: Redis is back`);
  });
  // Not connected (yet, or again): a miss without asking, so no request waits for a connection.
  const usable = (): boolean => client.status === 'ready' && !closing && Date.now() >= pausedUntil;

  async function getMany(keys: readonly string[]): Promise<unknown[]> {
    if (keys.length === 0 || !usable()) return keys.map(() => undefined);
    try {
      const raw = await client.mget(keys.map((key) => prefix + key));
      return raw.map(parse);
    } catch (error) {
      fail((error as Error).message);
      return keys.map(() => undefined);
    }
  }

  async function setMany(entries: readonly (readonly [string, unknown])[], ttlMs: number) {
    const stored = entries.filter(([, value]) => value !== undefined);
    if (stored.length === 0 || ttlMs <= 0 || !usable()) return;
    try {
      const pipeline = client.pipeline();
      for (const [key, value] of stored) {
        pipeline.set(prefix + key, JSON.stringify(value), 'PX', Math.ceil(ttlMs));
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) fail(failed[0]!.message);
    } catch (error) {
      fail((error as Error).message);
    }
  }

  /** Redis not asked, or failing: every key "held", so the caller loads itself. */
  const unclaimed = (keys: readonly string[]): CacheClaim => ({
    won: keys.map(() => true),
    release: async () => undefined,
  });

  async function claim(keys: readonly string[], ttlMs: number): Promise<CacheClaim> {
    if (keys.length === 0 || ttlMs <= 0 || !usable()) return unclaimed(keys);
    const token = randomUUID();
    const locks = keys.map((key) => lockPrefix + key);
    let results: [Error | null, unknown][];
    try {
      const pipeline = client.pipeline();
      for (const lock of locks) pipeline.set(lock, token, 'PX', Math.ceil(ttlMs), 'NX');
      results = (await pipeline.exec()) ?? [];
    } catch (error) {
      fail((error as Error).message);
      return unclaimed(keys);
    }
    const failed = results.find(([error]) => error);
    if (failed) fail(failed[0]!.message);
    // A key Redis did not answer for is "held" too: never a wait on what nobody may be loading.
    const won = keys.map((_, i) => {
      const [error, reply] = results[i] ?? [null, 'OK'];
      return error !== null || reply === 'OK';
    });
    const held = locks.filter((_, i) => results[i]?.[1] === 'OK');
    return {
      won,
      async release() {
        // Not asked while Redis is away: the claims lapse with their TTL.
        if (held.length === 0 || !usable()) return;
        try {
          await client.eval(RELEASE_CLAIMS, held.length, ...held, token);
        } catch (error) {
          fail((error as Error).message);
        }
      },
    };
  }

  return {
    kind: 'redis',
    claim,
    get: async (key) => (await getMany([key]))[0],
    getMany,
    set: (key, value, ttlMs) => setMany([[key, value]], ttlMs),
    setMany,
    async close() {
      closing = true;
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** A stored JSON value; anything unreadable is a miss. */
function parse(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
