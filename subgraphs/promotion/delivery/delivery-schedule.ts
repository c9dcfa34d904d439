import { halfJitterGenerator } from 'cockatiel';
import type { ChannelDeliveryPolicy } from '../../../policies/delivery-policy.ts';

export type RetrySchedule = ChannelDeliveryPolicy['retry'];

/**
 * The wait after the `failures`-th failed attempt (1, 2, ...): exponential backoff with "equal"
 * jitter (cockatiel's `halfJitterGenerator`), i.e. with d = min(maxDelayMs, initialDelayMs ·
 * 2^(failures-1)) a uniform draw from [d/2, d). It needs only the attempt count, which the row
 * keeps, so a restart or another process continues the schedule.
 */
export function retryDelayMs(failures: number, schedule: RetrySchedule): number {
  const [delay] = halfJitterGenerator(Math.max(0, failures - 1), {
    generator: halfJitterGenerator,
    initialDelay: schedule.initialDelayMs,
    maxDelay: schedule.maxDelayMs,
    exponent: 2,
  });
  return delay;
}

/**
 * After the `attempts`-th attempt failed at `now`: when to try again, or `undefined` when the
 * schedule is exhausted (the attempt cap reached, or the horizon `giveUpAt` reached). The next
 * attempt never falls after the horizon: the last one is made at it.
 */
export function nextAttemptAt(
  attempts: number,
  now: Date,
  schedule: RetrySchedule,
  horizon: Date,
): Date | undefined {
  if (schedule.maxAttempts !== null && attempts >= schedule.maxAttempts) return undefined;
  if (now.getTime() >= horizon.getTime()) return undefined;
  const at = now.getTime() + retryDelayMs(attempts, schedule);
  return new Date(Math.min(at, horizon.getTime()));
}
