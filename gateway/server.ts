import { subgraphFetchMetric, throttledMetric } from './plugins/metrics.ts';
import { ApolloGateway } from '@apollo/gateway';
import { applyApolloTelemetry } from './apollo-telemetry.ts';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { processLogger, type Logger } from '../contracts/runtime/telemetry/logger.ts';
import { createHttpHandler } from './http-handler.ts';
import {
  DEFAULT_AUTHORIZATION_POLICY,
  type AuthorizationPolicy,
} from '../policies/authorization-policy.ts';
import type { OperationsPolicy } from '../policies/operations-policy.ts';
import type { Authenticator } from './plugins/authenticate.ts';
import { createPrincipalSigner, PrincipalForwardingDataSource } from './forward-principal.ts';
import { createApolloExecutor, createFastExecutor } from './execution/fast-executor.ts';
import { errorMaskingFormatter } from './plugins/error-masking.ts';
import { gatewayPlugins, pipelineSteps } from './plugins/index.ts';
import { requestLog } from './plugins/request-log.ts';
import { tracedExecutor } from './plugins/request-tracing.ts';
import { admittedExecutor } from './pipeline/admitted-executor.ts';
import { createCostOf } from './plugins/operation-limits.ts';
import type { ThrottleOptions } from './plugins/throttle.ts';
import type { GatewayContext } from './principal.ts';
import { checkReadiness } from './readiness.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';
import type { TrustedDocuments } from './trusted-document-manifest.ts';
import { createGatewaySubscriptions, type SubscriptionTuning } from './gateway-subscriptions.ts';
import { createLiveSupergraph } from './live-supergraph.ts';
import { listenGateway, type RunningGateway } from './listen-gateway.ts';
import type { SupergraphArtifacts } from './supergraph-artifacts.ts';
import type { BundleRoute } from './static-bundle/serve-bundle.ts';
import type { TowerRoute } from './tower/serve-tower.ts';

export type { RunningGateway } from './listen-gateway.ts';

/**
 * The composed supergraph (contracts/supergraph.graphql): its SDL, or what
 * buildSupergraphArtifacts built from it (gateway/assemble.ts passes that: built once).
 */
export type SupergraphSource =
  | { supergraphSdl: string; supergraph?: undefined }
  | { supergraph: SupergraphArtifacts; supergraphSdl?: undefined };

export type GatewayServerOptions = SupergraphSource & {
  /** Subgraph name → URL, overriding the routing URLs composed into the supergraph. */
  subgraphUrls: Record<string, string>;
  /**
   * Signs the principal forwarded to the subgraphs (gateway/forward-principal.ts); the subgraphs
   * hold the same secret. Required: a subgraph refuses every request without it.
   */
  principalSecret: string;
  /** Client headers copied to subgraph requests (lower-case). Default none. */
  forwardHeaders?: readonly string[];
  subgraphTimeoutMs?: number;
  maxBodyBytes?: number;
  environment?: 'development' | 'production';
  /**
   * Builds each request's context from its headers: `createAuthenticator(...)` from
   * plugins/authenticate.ts (gateway/index.ts always passes one). Default: no authentication,
   * every request anonymous (for tests of unrelated features).
   */
  authenticate?: Authenticator;
  /**
   * `@policy` rules and who may introspect (policies/authorization.yaml, loaded by index.ts).
   * Default DEFAULT_AUTHORIZATION_POLICY: no rules, introspection for internal tokens only.
   * A `@policy` name in the supergraph that this does not define makes this function throw.
   */
  authorization?: AuthorizationPolicy;
  /**
   * Rate limits (plugins/throttle.ts): policies/throttling.yaml and a limiter store (index.ts
   * passes Redis when REDIS_URL is set, else memory). Default: no throttling.
   */
  throttle?: ThrottleOptions;
  /**
   * Operation limits, costs and trusted-document rules (policies/operations.yaml), as a getter:
   * index.ts passes the hot-reloaded policy's `current`. Default DEFAULT_OPERATIONS_POLICY
   * (generous limits, nobody restricted to trusted documents).
   */
  operations?: () => OperationsPolicy;
  /** Benchmarks only (OPERATION_LIMITS_DISABLED): no operation-limits step. Default true. */
  operationLimits?: boolean;
  /** Trusted documents (contracts/trusted-documents/manifest.json). Default: none. */
  trustedDocuments?: TrustedDocuments;
  /**
   * Query-plan executor: `fast` (gateway/execution/: plan cache, same data sources, precompiled
   * response shaping; falls back to Apollo's for what it does not cover) or `apollo`
   * (@apollo/gateway's executeQueryPlan). Default `fast`.
   */
  executor?: 'apollo' | 'fast';
  /**
   * Let @apollo/gateway send its telemetry to Apollo (config.ts `apolloTelemetry`). Default false:
   * nothing goes to a third party (apollo-telemetry.ts).
   */
  apolloTelemetry?: boolean;
  /** Bearer token GET /metrics requires (METRICS_TOKEN). Default none: /metrics is open. */
  metricsToken?: string;
  /** Buffer limits of each subscription. Default subscription-server.ts's (1000 events, 16 MiB). */
  subscriptions?: SubscriptionTuning;
  /** Serves the control tower page under /tower (gateway/tower/serve-tower.ts). Default: none. */
  tower?: TowerRoute;
  /**
   * Serves GraphiQL under /graphiql and sends browsers opening /graphql there
   * (gateway/graphiql/serve-graphiql.ts). Default: none (404). Apollo's own landing page, which
   * loads Sandbox from a CDN, is always off.
   */
  graphiql?: BundleRoute;
  /**
   * The process's logger (JSON lines at LOG_LEVEL); request-scoped lines go through a child per
   * request (plugins/request-log.ts). Default: the one the process entry registered.
   */
  logger?: Logger;
};

export type GatewayServer = {
  apollo: ApolloServer<GatewayContext>;
  registry: Registry;
  /** The supergraph in force (swapped whole by the running gateway's reload). */
  supergraph(): SupergraphArtifacts;
  listen(port: number, host?: string): Promise<RunningGateway>;
};

/** Builds the gateway (no side effects until `listen`). */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  // Access control and costs are read from the supergraph as composed; ApolloGateway, which
  // refuses SECURITY features it does not enforce, gets the same supergraph without them. All of
  // it is built once per supergraph and swapped whole by reload (live-supergraph.ts).
  const live = createLiveSupergraph({
    supergraph: options.supergraph ?? options.supergraphSdl,
    ...(options.authorization ? { authorization: options.authorization } : {}),
  });
  const limits = {
    costDirectives: live.costDirectives,
    ...(options.operations ? { policy: options.operations } : {}),
  };
  const logger = options.logger ?? processLogger();
  const requestLogging = requestLog({ logger });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { fetcherFor, close: closeFetcher } = createSubgraphFetcher({
    timeoutMs: options.subgraphTimeoutMs ?? 10_000,
    onFetch: subgraphFetchMetric(registry),
  });
  const signPrincipal = createPrincipalSigner({ secret: options.principalSecret });
  applyApolloTelemetry(options.apolloTelemetry ?? false);
  const gateway = new ApolloGateway({
    // A function, so reload() can hand ApolloGateway a new supergraph (update) at run time.
    supergraphSdl: live.apolloSupergraph,
    buildService: ({ name, url }) =>
      new PrincipalForwardingDataSource({
        url: options.subgraphUrls[name] ?? url!,
        fetcher: fetcherFor(name),
        sign: signPrincipal,
        ...(options.forwardHeaders ? { forwardHeaders: options.forwardHeaders } : {}),
      }),
  });
  gateway.executor =
    (options.executor ?? 'fast') === 'fast'
      ? createFastExecutor(gateway, gateway.executor)
      : createApolloExecutor(gateway.executor);
  // Whichever executor runs, it runs only what the request pipeline admitted, with the
  // request's span active (the parent of its subgraph fetches).
  gateway.executor = tracedExecutor(admittedExecutor(gateway.executor));
  const production = options.environment === 'production';
  const introspection = (options.authorization ?? DEFAULT_AUTHORIZATION_POLICY).introspection;
  // One list of steps for every transport: HTTP (Apollo Server) and the subscriptions.
  const steps = pipelineSteps({
    trustedDocuments: {
      ...(options.trustedDocuments ? { manifest: options.trustedDocuments } : {}),
      ...(options.operations ? { policy: options.operations } : {}),
    },
    limits: options.operationLimits === false ? false : limits,
    // The supergraph in force's authorizer, replaced with it by reload().
    authorize: { current: () => live.current().authorizer },
    // Without a limits step (benchmarks), the throttle measures the same cost itself.
    ...(options.throttle
      ? {
          throttle: {
            cost: createCostOf(limits),
            log: (message: string, error: unknown) => logger.error({ err: error }, message),
            onThrottled: throttledMetric(registry),
            ...options.throttle,
          },
        }
      : {}),
  });
  // An unexpected error is logged with the ids of the request it arose in, when one reported it.
  const formatError = errorMaskingFormatter({
    exposeInternalMessages: !production,
    log: (message, error) => requestLogging.logFor(error).error({ err: error }, message),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      ...gatewayPlugins({
        registry,
        steps: () => steps,
        suggestions: { introspection },
        requestLog: requestLogging,
      }),
      // No Apollo landing page (Sandbox or Explorer from Apollo's CDN): GraphiQL is ours.
      ApolloServerPluginLandingPageDisabled(),
    ],
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    csrfPrevention: true,
    // index.ts owns SIGINT/SIGTERM: close the HTTP server, then Apollo, then exit 0.
    stopOnTerminationSignals: false,
  });
  let started = false;

  const handle = createHttpHandler({
    apollo,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    context: options.authenticate ?? (async () => ({})),
    live: () => ({ status: 200, body: { status: 'live' } }),
    async ready() {
      const report = await checkReadiness(started, options.subgraphUrls);
      return { status: report.status === 'ready' ? 200 : 503, body: report };
    },
    async metrics() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.tower ? { tower: options.tower } : {}),
    ...(options.graphiql ? { graphiql: options.graphiql } : {}),
  });

  return {
    apollo,
    registry,
    supergraph: () => live.current().artifacts,
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      started = true;
      return listenGateway({
        port,
        host,
        handle,
        live,
        subscriptions: createGatewaySubscriptions({
          supergraph: live.current().artifacts,
          subgraphUrls: options.subgraphUrls,
          authenticate: options.authenticate,
          steps: () => steps,
          introspection,
          throttle: options.throttle,
          signPrincipal,
          fetcherFor,
          formatError,
          registry,
          maxBodyBytes: options.maxBodyBytes,
          tuning: options.subscriptions,
        }),
        closing: () => (started = false),
        async stop() {
          await apollo.stop();
          await closeFetcher();
        },
      });
    },
  };
}
