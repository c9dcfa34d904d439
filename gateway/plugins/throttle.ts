import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ThrottlingPolicy } from '../../policies/throttling-policy.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { ResolvedOperation } from '../pipeline/resolved-operation.ts';
import { chargeBuckets, type Charge } from '../throttling/charge-buckets.ts';
import type { LimiterStore } from '../throttling/limiter-store.ts';
import { countSelectedFields, weightPoints } from '../throttling/operation-weight.ts';
import { selectBuckets } from '../throttling/select-buckets.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

export type ThrottleOptions = {
  /**
   * policies/throttling.yaml (`loadThrottlingPolicy`), or a function returning the policy in
   * force (read on every request, for a reloadable policy). Required.
   */
  policy: ThrottlingPolicy | (() => ThrottlingPolicy);
  /**
   * Where the counters live: `createRedisLimiterStore` (shared by all instances, in-memory
   * insurance while Redis fails) or `createMemoryLimiterStore` (one instance). Required.
   */
  store: LimiterStore;
  /**
   * An operation's weight in points. Default: its estimated cost as the operation-limits step
   * measured it (`facts.cost`), else as `estimatedCost` measures it (no limits step), else the
   * number of fields it selects (countSelectedFields).
   */
  cost?: (operation: ResolvedOperation) => number;
  /** Measures the estimated cost when no limits step did (plugins/operation-limits.ts createCostOf). */
  estimatedCost?: (operation: ResolvedOperation) => number;
  /**
   * Reports a store failure beyond its insurance (the operation is then refused). Default: the
   * process's logger (error).
   */
  log?: (message: string, error: unknown) => void;
  /** Told of every operation refused 429, with the caller's sales channel (metrics). */
  onThrottled?: (channel: string | undefined) => void;
};

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** IETF draft RateLimit header fields (ietf-httpapi-ratelimit-headers), Reset in seconds. */
function rateLimitHeaders(charge: Charge): [string, string][] {
  return [
    ['ratelimit-limit', String(charge.bucket.limit)],
    ['ratelimit-remaining', String(charge.state.remaining)],
    ['ratelimit-reset', String(seconds(charge.state.resetMs))],
  ];
}

/** 429 RATE_LIMITED with Retry-After and RateLimit-* headers; message says which bucket and why. */
function rateLimited(charge: Charge, weight: number, windowSeconds: number): GraphQLError {
  const { bucket, state } = charge;
  const retryAfter = Math.max(1, seconds(state.resetMs));
  const costs = `the operation costs ${weight} point${weight === 1 ? '' : 's'}`;
  const message =
    weight > bucket.limit
      ? `rate limit exceeded for ${bucket.label}: ${costs}, more than its limit of ${bucket.limit} per ${windowSeconds} s window`
      : `rate limit exceeded for ${bucket.label}: ${costs}, ${state.remaining} of ${bucket.limit} left in this window; retry after ${retryAfter} s`;
  const headers = new HeaderMap([...rateLimitHeaders(charge), ['retry-after', String(retryAfter)]]);
  return new GraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: retryAfter,
      http: { status: 429, headers },
    },
  });
}

/** The limiter could not decide (its store failed beyond the insurance): refuse, 503. */
function limiterUnavailable(): GraphQLError {
  return new GraphQLError('the rate limiter is unavailable; retry shortly', {
    extensions: {
      code: 'BACKEND_UNAVAILABLE',
      http: { status: 503, headers: new HeaderMap([['retry-after', '1']]) },
    },
  });
}

/**
 * The throttle step, last before planning: it charges only what every earlier step admitted,
 * and subscriptions (charged when they start) as well as queries and mutations. The weight is
 * the estimated cost the limits step measured (or `cost`, when there is no limits step), at
 * least 1, charged to every bucket that applies to the caller (select-buckets.ts: client within
 * channel, anonymous callers by address, partner, channel; mutations to the separate mutation
 * budgets). Over a limit: 429 RATE_LIMITED with Retry-After and RateLimit-* headers, nothing
 * charged, no subgraph call. A limiter that cannot decide refuses (503 BACKEND_UNAVAILABLE):
 * fail closed. Every charged operation's answer carries the RateLimit-* headers of its tightest
 * bucket. A recheck (an open subscription after a reload) is not charged again.
 */
/** The throttling policy in force (the option is a policy or a getter of one). */
export function throttlePolicyOf(options: ThrottleOptions): ThrottlingPolicy {
  return typeof options.policy === 'function' ? options.policy() : options.policy;
}

export function throttleStep(options: ThrottleOptions): PipelineStep {
  const policyOf = () => throttlePolicyOf(options);
  const cost =
    options.cost ??
    ((resolved: ResolvedOperation) =>
      resolved.facts.cost ?? (options.estimatedCost ?? countSelectedFields)(resolved));
  const log = options.log ?? ((message, error) => processLogger().error({ err: error }, message));
  const charges = new WeakMap<ResolvedOperation, Charge>();
  return {
    name: 'throttle',
    async check(resolved, mode) {
      if (mode === 'recheck') return;
      const policy = policyOf();
      const weight = weightPoints(cost(resolved));
      const { principal, address } = resolved.caller;
      const buckets = selectBuckets(policy, principal, resolved.operationType, address);
      let charge: Charge;
      try {
        charge = await chargeBuckets(options.store, buckets, weight, policy.windowSeconds);
      } catch (error) {
        log('[gateway] rate limiter failed; operation refused', error);
        throw limiterUnavailable();
      }
      if (!charge.admitted) {
        options.onThrottled?.(principal?.channel);
        throw rateLimited(charge, weight, policy.windowSeconds);
      }
      charges.set(resolved, charge);
    },
    responseHeaders(resolved) {
      const charge = charges.get(resolved);
      return charge ? rateLimitHeaders(charge) : [];
    },
  };
}
