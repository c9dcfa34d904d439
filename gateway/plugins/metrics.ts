import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';

export type MetricsPluginOptions = {
  /** Registry the metrics are registered in (served on GET /metrics). */
  registry: Registry;
};

/** Prometheus metrics per GraphQL operation: count by type and outcome, duration histogram. */
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
    help: 'Time from request received to response ready',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [options.registry],
  });
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
          duration.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
