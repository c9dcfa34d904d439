import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';
import { boundedOperationLabel } from '../../contracts/runtime/telemetry/operation-label.ts';

export type MetricsPluginOptions = {
  /** Registry the metrics are registered in (served on GET /metrics). */
  registry: Registry;
  /** Distinct operation names labelled before the rest become "other". Default 100. */
  maxOperations?: number;
};

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Prometheus metrics per GraphQL operation: count by type and outcome, errors by code, and the
 * duration by type and operation name (a bounded set of names, then "other").
 */
export function metricsPlugin(options: MetricsPluginOptions): ApolloServerPlugin<BaseContext> {
  const operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations by operation type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [options.registry],
  });
  const errors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors returned, by extensions.code',
    labelNames: ['code'] as const,
    registers: [options.registry],
  });
  const duration = new Histogram({
    name: 'gateway_graphql_duration_seconds',
    help: 'Time from request received to response ready, by operation type and name',
    labelNames: ['type', 'operation'] as const,
    buckets: BUCKETS,
    registers: [options.registry],
  });
  const operationLabel = boundedOperationLabel(options.maxOperations ?? 100);
  return {
    // A request refused while its context is built (authenticate) never starts the pipeline.
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      errors.inc({ code: String(code ?? 'INTERNAL_SERVER_ERROR') });
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(ctx) {
          const type = ctx.operation?.operation ?? 'unknown';
          const body = ctx.response.body;
          const responseErrors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          operations.inc({ type, outcome: responseErrors.length ? 'error' : 'ok' });
          for (const error of responseErrors) {
            errors.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
          }
          const name = ctx.operation ? (ctx.operation.name?.value ?? 'anonymous') : 'unknown';
          duration.observe(
            { type, operation: operationLabel(name) },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
}

/**
 * `gateway_subgraph_fetch_duration_seconds{subgraph,outcome}`: every subgraph fetch the gateway
 * waited for (a shared in-flight one counted for each waiter), `ok` or `error` (unreachable,
 * timed out). Returns what the fetcher calls (subgraph-fetcher.ts `onFetch`).
 */
export function subgraphFetchMetric(
  registry: Registry,
): (subgraph: string, seconds: number, outcome: 'ok' | 'error') => void {
  const histogram = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetches the gateway waited for, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  return (subgraph, seconds, outcome) => histogram.observe({ subgraph, outcome }, seconds);
}

/**
 * `gateway_throttled_requests_total{channel}`: operations refused 429 by the rate limits, by the
 * caller's sales channel (`none` for callers without one). Returns the throttle's `onThrottled`.
 */
export function throttledMetric(registry: Registry): (channel: string | undefined) => void {
  const counter = new Counter({
    name: 'gateway_throttled_requests_total',
    help: 'Operations refused by the rate limits (429), by the caller sales channel',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  return (channel) => counter.inc({ channel: channel ?? 'none' });
}
