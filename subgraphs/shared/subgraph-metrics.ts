import { boundedOperationLabel } from '../../contracts/runtime/telemetry/operation-label.ts';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sendJson } from '../../contracts/runtime/apollo-node-http.ts';
import { BACKEND_OUTCOMES, type BackendClient, type BackendStats } from './backend-client.ts';
import { allCacheReadCounts, CACHE_READ_OUTCOMES } from './cache/read-options.ts';

export type SubgraphMetricsOptions = {
  /**
   * Bearer token GET /metrics requires (config `metricsToken`, METRICS_TOKEN): without
   * `Authorization: Bearer <it>`, 401. Default none: /metrics is open.
   */
  token?: string;
  /** Back-end clients whose calls and circuit are reported (their `stats`). Default none. */
  backends?: readonly BackendClient[];
  /** Caches whose reads per port are reported (`subgraph_cache_reads_total`). Default none. */
  caches?: readonly object[];
  /** Registers the subgraph's own collectors (e.g. promotion-metrics.ts). Default none. */
  collectors?: (registry: Registry) => void;
  /** Distinct operation names labelled before the rest become "other". Default 100. */
  maxOperations?: number;
};

export type SubgraphMetrics = {
  /** This server's registry (never the global one: tests run several servers per process). */
  registry: Registry;
  /** Duration per operation name and errors by `extensions.code`. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** Answers GET /metrics (401 without the token when one is set). */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

const CIRCUIT_VALUES: Record<BackendStats['circuit'], number> = {
  closed: 0,
  open: 1,
  half_open: 2,
  isolated: 3,
};

/**
 * Prometheus metrics of one subgraph server, every series labelled `subgraph`:
 * `subgraph_graphql_duration_seconds{operation}`, `subgraph_graphql_errors_total{code}`,
 * `subgraph_backend_calls_total{service,outcome}` and `subgraph_backend_circuit_state{service}`
 * (0 closed, 1 open, 2 half-open, 3 isolated), `subgraph_cache_reads_total{port,outcome}`, the process defaults (`process_cpu_seconds_total`,
 * `nodejs_eventloop_lag_seconds`...), plus whatever `collectors` register.
 */
export function createSubgraphMetrics(
  subgraph: string,
  options: SubgraphMetricsOptions = {},
): SubgraphMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph });
  // The process's CPU, memory, event-loop lag and GC, as the gateway's /metrics has them.
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'subgraph_graphql_duration_seconds',
    help: 'Time from request received to response ready, by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'subgraph_graphql_errors_total',
    help: 'GraphQL errors returned, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const backends = options.backends ?? [];
  new Counter({
    name: 'subgraph_backend_calls_total',
    help: 'Back-end calls (after retries) by service and outcome',
    labelNames: ['service', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const stats of backends.map((b) => b.stats?.())) {
        if (!stats) continue;
        for (const outcome of BACKEND_OUTCOMES) {
          this.inc({ service: stats.name, outcome }, stats.calls[outcome]);
        }
      }
    },
  });
  new Gauge({
    name: 'subgraph_backend_circuit_state',
    help: 'Circuit breaker of each back-end: 0 closed, 1 open, 2 half-open, 3 isolated',
    labelNames: ['service'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const stats of backends.map((b) => b.stats?.())) {
        if (stats) this.set({ service: stats.name }, CIRCUIT_VALUES[stats.circuit]);
      }
    },
  });
  const caches = options.caches ?? [];
  new Counter({
    name: 'subgraph_cache_reads_total',
    help: 'ERP port reads through the cache by port and outcome: fresh, stale (revalidated in the background), miss, shared (a miss another instance loaded, through Redis), staleIfError (the ERP failed, last known value served), error',
    labelNames: ['port', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const cache of caches) {
        for (const [port, counts] of allCacheReadCounts(cache)) {
          for (const outcome of CACHE_READ_OUTCOMES) this.inc({ port, outcome }, counts[outcome]);
        }
      }
    },
  });
  options.collectors?.(registry);
  const operationLabel = boundedOperationLabel(options.maxOperations ?? 100);

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const responseErrors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          for (const error of responseErrors) {
            errors.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
          }
          const name = ctx.operation ? (ctx.operation.name?.value ?? 'anonymous') : 'unknown';
          duration.observe(
            { operation: operationLabel(name) },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };

  return {
    registry,
    plugin,
    async serve(req, res) {
      if (options.token && !bearerMatches(req.headers.authorization, options.token)) {
        return sendJson(
          res,
          401,
          { error: 'unauthorized: /metrics requires Authorization: Bearer <METRICS_TOKEN>' },
          { 'www-authenticate': 'Bearer realm="metrics"' },
        );
      }
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(body);
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>` carries `token`, compared in constant time (as the gateway). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(sha256(presented), sha256(token));
}
