import { halfJitterGenerator } from 'cockatiel';

export type RetryBackoffOptions = {
  /** Delay after the first failed attempt, before jitter. */
  initialDelayMs: number;
  /** Largest delay, before jitter. */
  maxDelayMs: number;
};

/**
 * The wait after the `failures`-th failed attempt (1, 2, ...), stored as `next_attempt_at` so a
 * restart or another process continues the schedule: exponential backoff with "equal" jitter
 * (cockatiel's `halfJitterGenerator`), i.e. with d = min(maxDelayMs, initialDelayMs · 2^(failures-1))
 * a uniform draw from [d/2, d). It needs only the attempt count, which the row keeps
 * (decorrelated jitter would also need the previous draw).
 */
export function retryDelayMs(failures: number, options: RetryBackoffOptions): number {
  const [delay] = halfJitterGenerator(Math.max(0, failures - 1), {
    generator: halfJitterGenerator,
    initialDelay: options.initialDelayMs,
    maxDelay: options.maxDelayMs,
    exponent: 2,
  });
  return delay;
}
