import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { context as traceContext } from '@opentelemetry/api';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { isPublicErrorCode } from '../../contracts/canonical/error-codes.ts';
import {
  sendGraphQLError,
  sendJson,
  serveGraphQL,
} from '../../contracts/runtime/apollo-node-http.ts';
import { processLogger, type Logger } from '../../contracts/runtime/telemetry/logger.ts';
import { bindPrincipal, withFieldAccess } from './field-access.ts';
import { freshnessPlugin } from './freshness-plugin.ts';
import {
  PRINCIPAL_HEADER,
  type ForwardedPrincipal,
  type PrincipalVerifier,
} from './forwarded-principal.ts';
import { createRequestTelemetry, type RequestScope } from './request-telemetry.ts';
import { createSubgraphMetrics, type SubgraphMetricsOptions } from './subgraph-metrics.ts';

export type SubgraphContextFactory<TContext extends BaseContext> = (
  req: IncomingMessage | undefined,
  principal: ForwardedPrincipal,
) => Promise<TContext> | TContext;

export type SubgraphServerOptions<TContext extends BaseContext> = {
  /** Subgraph name, one lowercase word (promotion, pricing, inventory, funding). */
  name: string;
  schema: GraphQLSchema;
  /** Per-request context (DataLoaders are created here, per request). */
  context: SubgraphContextFactory<TContext>;
  /**
   * Checks the gateway-signed principal (`createPrincipalVerifier`, forwarded-principal.ts).
   * HTTP: the `x-gateway-principal` header; graphql-ws: the same key in `connection_init`'s
   * payload, overridable per subscription by `extensions["x-gateway-principal"]` (the gateway
   * multiplexes many callers on one connection). Without a valid one: UNAUTHENTICATED (401 /
   * close 4401), before anything executes.
   */
  verifyPrincipal: PrincipalVerifier;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Extra readiness check for GET /health (e.g. the repository answers). Default: always ready. */
  ready?: () => Promise<boolean>;
  /**
   * The process's logger (JSON lines at LOG_LEVEL); request-scoped lines go through a child per
   * request (request-telemetry.ts). Default: the one the process entry registered.
   */
  logger?: Logger;
  /** GET /metrics: its token, the back-end clients and extra collectors (subgraph-metrics.ts). */
  metrics?: SubgraphMetricsOptions;
};

export type RunningSubgraph = { name: string; url: string; port: number; close(): Promise<void> };

export type SubgraphServer = {
  name: string;
  apollo: ApolloServer<BaseContext>;
  listen(port: number, host?: string): Promise<RunningSubgraph>;
};

/**
 * Keeps typed errors (a public code, contracts/canonical/error-codes.ts) as they are; anything
 * else becomes INTERNAL_SERVER_ERROR without detail, and is logged to `log`.
 */
export function maskSubgraphError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: Logger = processLogger(),
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isPublicErrorCode(code)) return formatted;
  log.error({ err: error }, '[subgraph] unexpected error');
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * Builds the HTTP (and, when the schema has subscriptions, graphql-ws) server of one subgraph
 * without side effects; `listen` starts it. POST/GET /graphql, GET /health, GET /metrics
 * (Prometheus, a registry of its own: subgraph-metrics.ts). Each GraphQL request
 * over HTTP is a server span, child of the caller's `traceparent`, active while it runs (the
 * parent of its back-end calls), and logs through a logger carrying its request id and trace
 * ids (request-telemetry.ts).
 */
export function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): SubgraphServer {
  // Every transport executes the same guarded copy: scopes and channel confinement are
  // re-checked per field against the verified principal (field-access.ts).
  const schema = withFieldAccess(options.schema);
  const context = async (
    req: IncomingMessage | undefined,
    principal: ForwardedPrincipal,
  ): Promise<TContext> => bindPrincipal(await options.context(req, principal), principal);
  const logger = options.logger ?? processLogger();
  const telemetry = createRequestTelemetry(options.name, logger);
  const metrics = createSubgraphMetrics(options.name, options.metrics);
  const apollo = new ApolloServer<BaseContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskSubgraphError(formatted, error, telemetry.logFor(error)),
    introspection: true,
    plugins: [
      // Federated traces are only for Apollo's usage reporting, which this stack does not use.
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are set or read: without it Apollo no longer wraps every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      telemetry.plugin,
      metrics.plugin,
      freshnessPlugin,
    ],
  });
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health') {
      const ok = options.ready ? await options.ready().catch(() => false) : true;
      const status = ok ? 'ok' : 'unavailable';
      return sendJson(res, ok ? 200 : 503, { name: options.name, status });
    }
    if (url.pathname === '/metrics') return metrics.serve(req, res);
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
    const scope = telemetry.begin(req);
    try {
      await traceContext.with(scope.context, () => serve(req, res, url, scope));
    } catch (error) {
      scope.end(undefined, error);
      throw error;
    }
    scope.end(res.statusCode);
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    scope: RequestScope,
  ): Promise<void> {
    // The forwarded principal first: a caller without one gets nothing else, not even a parse.
    let principal: ForwardedPrincipal;
    try {
      principal = options.verifyPrincipal(req.headers[PRINCIPAL_HEADER] as string | undefined);
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : 'invalid principal';
      return sendGraphQLError(res, 401, message, 'UNAUTHENTICATED');
    }
    return serveGraphQL(req, res, url, {
      apollo,
      maxBodyBytes: maxBody,
      context: async () => telemetry.bind(await context(req, principal), scope),
    });
  }

  return {
    name: options.name,
    apollo,
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      const server: Server = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          logger.error({ err: error }, `[${options.name}] request failed`);
          if (!res.headersSent) {
            sendGraphQLError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
          } else res.end();
        });
      });
      server.keepAliveTimeout = 65_000;
      let wsCleanup: { dispose(): Promise<void> | void } | undefined;
      let wss: WebSocketServer | undefined;
      if (schema.getSubscriptionType()) {
        wss = new WebSocketServer({ server, path: '/graphql' });
        wsCleanup = useServer(
          {
            schema,
            onConnect: (ctx) => {
              try {
                const token = ctx.connectionParams?.[PRINCIPAL_HEADER];
                options.verifyPrincipal(typeof token === 'string' ? token : undefined);
                return true;
              } catch {
                return false; // graphql-ws closes with 4403 Forbidden
              }
            },
            onSubscribe: (ctx, _id, payload) => {
              try {
                options.verifyPrincipal(subscriptionToken(ctx.connectionParams, payload));
                return undefined;
              } catch (error) {
                return [error as GraphQLError];
              }
            },
            context: async (ctx, _id, payload) =>
              context(
                undefined,
                options.verifyPrincipal(subscriptionToken(ctx.connectionParams, payload)),
              ),
            onError: (_ctx, _id, _payload, errors) => {
              logger.error({ errors }, `[${options.name}] subscription error`);
            },
          },
          wss,
        );
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const url = `http://${host}:${address.port}/graphql`;
      return {
        name: options.name,
        url,
        port: address.port,
        async close() {
          await wsCleanup?.dispose();
          wss?.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await apollo.stop();
        },
      };
    },
  };
}

/** A subscription's own principal (`extensions`), else the connection's (`connection_init`). */
function subscriptionToken(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  payload: { extensions?: Record<string, unknown> | null },
): string | undefined {
  const own = payload.extensions?.[PRINCIPAL_HEADER];
  const token = typeof own === 'string' ? own : connectionParams?.[PRINCIPAL_HEADER];
  return typeof token === 'string' ? token : undefined;
}
