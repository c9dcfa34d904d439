import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Redis keys of the limiter start with this (house style: constant prefixes per purpose). */
export const LIMITER_KEY_PREFIX = 'rl';

/** One bucket after a consume (or a look). */
export type BucketState = {
  /** Whether the consume was admitted (always false from `peek`). */
  allowed: boolean;
  /** Points left in the current window after this call. */
  remaining: number;
  /** Milliseconds until the current window ends (the full window when nothing was charged yet). */
  resetMs: number;
};

/** Fixed-window counters with one limit, any number of keys. */
export type BucketLimiter = {
  /**
   * Charges `points` (a positive integer) to `key` when the window has that many left; a refused
   * consume charges nothing. A cost above the limit is refused without touching the counter.
   */
  consume(key: string, points: number): Promise<BucketState>;
  /** Gives back points charged earlier (an operation another bucket refused). */
  refund(key: string, points: number): Promise<void>;
};

/**
 * Where the counters live (house style: state behind a small interface with an in-memory twin):
 * redis-limiter-store.ts (shared by every gateway instance) or memory-limiter-store.ts (one
 * instance: the embedded default and tests).
 */
export type LimiterStore = {
  readonly kind: 'redis' | 'memory';
  /** The limiter allowing `points` per `windowSeconds` (created once per pair, then reused). */
  limiter(points: number, windowSeconds: number): BucketLimiter;
  /** Releases connections (the Redis client). */
  close(): Promise<void>;
};

function state(allowed: boolean, remaining: number, resetMs: number): BucketState {
  return { allowed, remaining: Math.max(remaining, 0), resetMs: Math.max(resetMs, 0) };
}

/** A BucketLimiter over a rate-limiter-flexible limiter configured with `points`/`windowSeconds`. */
export function bucketLimiterOf(
  limiter: RateLimiterAbstract,
  points: number,
  windowSeconds: number,
): BucketLimiter {
  const windowMs = windowSeconds * 1000;
  return {
    async consume(key, cost) {
      if (cost > points) {
        const current = await limiter.get(key);
        return current
          ? state(false, points - current.consumedPoints, current.msBeforeNext)
          : state(false, points, windowMs);
      }
      try {
        const res = await limiter.consume(key, cost);
        return state(true, res.remainingPoints, res.msBeforeNext);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // rate-limiter-flexible counts refused consumes too: give them back, so that a caller
        // hammering past its limit does not use up budget it was never granted.
        await limiter.reward(key, cost);
        return state(false, points - (refusal.consumedPoints - cost), refusal.msBeforeNext);
      }
    },
    async refund(key, cost) {
      await limiter.reward(key, cost);
    },
  };
}

/** Caches one BucketLimiter per (points, windowSeconds). */
export function limiterCache(
  build: (points: number, windowSeconds: number) => BucketLimiter,
): (points: number, windowSeconds: number) => BucketLimiter {
  const limiters = new Map<string, BucketLimiter>();
  return (points, windowSeconds) => {
    const id = `${points}/${windowSeconds}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = build(points, windowSeconds);
      limiters.set(id, limiter);
    }
    return limiter;
  };
}

/** `rl` or `rl:<prefix>`: rate-limiter-flexible's keyPrefix (it adds `:` before each key). */
export function limiterKeyPrefix(prefix = ''): string {
  return prefix ? `${LIMITER_KEY_PREFIX}:${prefix}` : LIMITER_KEY_PREFIX;
}
