import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { ThrottlingPolicy } from '../../policies/throttling-policy.ts';
import type { GatewayContext } from '../principal.ts';
import { chargeBuckets, type Charge } from '../throttling/charge-buckets.ts';
import type { LimiterStore } from '../throttling/limiter-store.ts';
import {
  countSelectedFields,
  weightPoints,
  type OperationCost,
} from '../throttling/operation-weight.ts';
import { selectBuckets } from '../throttling/select-buckets.ts';

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
  /** An operation's weight in points. Default countSelectedFields (number of selected fields). */
  cost?: OperationCost;
  /** Reports a store failure beyond its insurance (the operation is then admitted). Default console.error. */
  log?: (message: string, error: unknown) => void;
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

/**
 * The 429 answer, as the error masking would format a RATE_LIMITED GraphQLError: `message` and
 * `extensions { code, retryAfterSeconds }`, no path, no stack.
 */
function rateLimited(charge: Charge, weight: number, windowSeconds: number): GraphQLResponse {
  const { bucket, state } = charge;
  const retryAfter = Math.max(1, seconds(state.resetMs));
  const costs = `the operation costs ${weight} point${weight === 1 ? '' : 's'}`;
  const message =
    weight > bucket.limit
      ? `rate limit exceeded for ${bucket.label}: ${costs}, more than its limit of ${bucket.limit} per ${windowSeconds} s window`
      : `rate limit exceeded for ${bucket.label}: ${costs}, ${state.remaining} of ${bucket.limit} left in this window; retry after ${retryAfter} s`;
  const headers = new HeaderMap([...rateLimitHeaders(charge), ['retry-after', String(retryAfter)]]);
  const error = { message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } };
  return {
    http: { status: 429, headers },
    body: { kind: 'single', singleResult: { errors: [error] } },
  };
}

/**
 * The throttle step, in `responseForOperation`: after every `didResolveOperation` check passed
 * (authorize, operation limits; Apollo runs those concurrently, so an operation they refuse is
 * never charged) and before the gateway plans or calls a subgraph. Charges the operation's weight
 * to every bucket that applies to the caller (select-buckets.ts: client within channel, partner,
 * channel; mutations to the separate mutation budgets). Over a limit it answers in place of
 * execution: 429 RATE_LIMITED with Retry-After and RateLimit-* headers, nothing charged, no
 * subgraph call. Every charged operation's answer carries the RateLimit-* headers of its tightest
 * bucket. Documents that fail to parse, validate or pass the checks above are not charged.
 */
export function throttlePlugin(options: ThrottleOptions): ApolloServerPlugin<GatewayContext> {
  const policyOf =
    typeof options.policy === 'function'
      ? options.policy
      : () => options.policy as ThrottlingPolicy;
  const cost = options.cost ?? countSelectedFields;
  const log = options.log ?? ((message, error) => console.error(message, error));
  return {
    async requestDidStart() {
      let charge: Charge | undefined;
      return {
        async responseForOperation({ schema, document, operation, contextValue, request }) {
          if (!operation) return null;
          const policy = policyOf();
          const variables = request.variables ?? {};
          const weight = weightPoints(
            cost({ schema, document, operation, variables, context: contextValue }),
          );
          const buckets = selectBuckets(policy, contextValue.principal, operation.operation);
          try {
            charge = await chargeBuckets(options.store, buckets, weight, policy.windowSeconds);
          } catch (error) {
            log('[gateway] rate limiter failed; operation admitted', error);
            return null;
          }
          return charge.admitted ? null : rateLimited(charge, weight, policy.windowSeconds);
        },
        async willSendResponse({ response }) {
          if (!charge) return;
          for (const [name, value] of rateLimitHeaders(charge))
            response.http.headers.set(name, value);
        },
      };
    },
  };
}
