import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createHttpHandler } from './http-handler.ts';
import {
  DEFAULT_AUTHORIZATION_POLICY,
  type AuthorizationPolicy,
} from '../policies/authorization-policy.ts';
import type { OperationsPolicy } from '../policies/operations-policy.ts';
import { readCostDirectives } from './limits/cost-directives.ts';
import type { Authenticator } from './plugins/authenticate.ts';
import {
  createPrincipalSigner,
  PRINCIPAL_HEADER,
  PrincipalForwardingDataSource,
} from './forward-principal.ts';
import { createApolloExecutor, createFastExecutor } from './execution/fast-executor.ts';
import { errorMaskingFormatter } from './plugins/error-masking.ts';
import { createOperationAuthorizer } from './plugins/authorize.ts';
import { checkSupergraph } from './supergraph-watch.ts';
import { gatewayPlugins, pipelineSteps } from './plugins/index.ts';
import { admittedExecutor } from './pipeline/admitted-executor.ts';
import { createCostOf } from './plugins/operation-limits.ts';
import { throttlePolicyOf, type ThrottleOptions } from './plugins/throttle.ts';
import type { GatewayContext } from './principal.ts';
import { checkReadiness } from './readiness.ts';
import {
  readSecurityRequirements,
  stripSecurityFeatures,
  type SecurityRequirements,
} from './security/supergraph-security.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';
import type { TrustedDocuments } from './trusted-document-manifest.ts';
import { createSubscriptionServer } from './subscriptions/subscription-server.ts';

export type GatewayServerOptions = {
  /** Composed supergraph SDL (contracts/supergraph.graphql). */
  supergraphSdl: string;
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
  /** Bearer token GET /metrics requires (METRICS_TOKEN). Default none: /metrics is open. */
  metricsToken?: string;
};

export type RunningGateway = {
  url: string;
  port: number;
  /**
   * Swaps in a new composed supergraph without a restart: queries plan against it from the next
   * request, access control and costs are read from it, and open subscriptions continue on it
   * (or end with the reason when their fields are gone or no longer allowed). Throws, changing
   * nothing, when it cannot be used (e.g. a @policy rule the policy lacks).
   */
  reload(supergraphSdl: string): Promise<{ continued: number; ended: number }>;
  close(): Promise<void>;
};

export type GatewayServer = {
  apollo: ApolloServer<GatewayContext>;
  registry: Registry;
  listen(port: number, host?: string): Promise<RunningGateway>;
};

/** Builds the gateway (no side effects until `listen`). */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  // Access control is read from the supergraph as composed; ApolloGateway, which refuses
  // SECURITY features it does not enforce, gets the same supergraph without them.
  // Mutated in place by reload(): the limits and the throttle read its maps on every request.
  const costDirectives = { ...readCostDirectives(options.supergraphSdl) };
  const authorizerFor = (security: SecurityRequirements) =>
    createOperationAuthorizer({
      requirements: security,
      ...(options.authorization ? { policy: options.authorization } : {}),
    });
  let authorizer = authorizerFor(readSecurityRequirements(options.supergraphSdl));
  let updateSupergraph: ((sdl: string) => void) | undefined;
  const limits = { costDirectives, ...(options.operations ? { policy: options.operations } : {}) };
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { fetcherFor, close: closeFetcher } = createSubgraphFetcher({
    timeoutMs: options.subgraphTimeoutMs ?? 10_000,
  });
  const signPrincipal = createPrincipalSigner({ secret: options.principalSecret });
  const gateway = new ApolloGateway({
    // A function, so reload() can hand ApolloGateway a new supergraph (update) at run time.
    supergraphSdl: async ({ update }) => {
      updateSupergraph = update;
      return { supergraphSdl: stripSecurityFeatures(options.supergraphSdl) };
    },
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
  // Whichever executor runs, it runs only what the request pipeline admitted.
  gateway.executor = admittedExecutor(gateway.executor);
  const production = options.environment === 'production';
  const introspection = (options.authorization ?? DEFAULT_AUTHORIZATION_POLICY).introspection;
  // One list of steps for every transport: HTTP (Apollo Server) and the subscriptions.
  const steps = pipelineSteps({
    trustedDocuments: {
      ...(options.trustedDocuments ? { manifest: options.trustedDocuments } : {}),
      ...(options.operations ? { policy: options.operations } : {}),
    },
    limits: options.operationLimits === false ? false : limits,
    // Built here (not by the step) so that reload() can replace it.
    authorize: { current: () => authorizer },
    // Without a limits step (benchmarks), the throttle measures the same cost itself.
    ...(options.throttle ? { throttle: { cost: createCostOf(limits), ...options.throttle } } : {}),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: gatewayPlugins({ registry, steps: () => steps, suggestions: { introspection } }),
    formatError: errorMaskingFormatter({ exposeInternalMessages: !production }),
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
  });

  return {
    apollo,
    registry,
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      started = true;
      // Subscriptions (graphql-ws on `upgrade`, SSE on /graphql): gateway/subscriptions/.
      const subscriptions = createSubscriptionServer({
        supergraphSdl: options.supergraphSdl,
        subgraphUrls: options.subgraphUrls,
        ...(options.authenticate ? { authenticate: options.authenticate } : {}),
        // The same steps as queries and mutations: trusted documents, limits, authorize, throttle.
        steps: () => steps,
        introspection,
        ...(options.throttle
          ? {
              maxSubscriptionsPerClient: () =>
                throttlePolicyOf(options.throttle!).subscriptions.perClient,
            }
          : {}),
        upstreamHeaders: (principal) => ({ [PRINCIPAL_HEADER]: signPrincipal(principal) }),
        fetcherFor,
        formatError: errorMaskingFormatter({ exposeInternalMessages: !production }),
        registry,
        ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      });
      const server: Server = createServer((req, res) => {
        subscriptions
          .handleSse(req, res)
          .then((served) => (served ? undefined : handle(req, res)))
          .catch((error: unknown) => {
            console.error('[gateway] request failed', error);
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                errors: [
                  {
                    message: 'Internal server error',
                    extensions: { code: 'INTERNAL_SERVER_ERROR' },
                  },
                ],
              }),
            );
          });
      });
      subscriptions.attach(server);
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      return {
        url: `http://${host}:${address.port}/graphql`,
        port: address.port,
        async reload(supergraphSdl) {
          // Everything that can refuse the supergraph runs before anything is swapped.
          checkSupergraph(supergraphSdl);
          const security = readSecurityRequirements(supergraphSdl);
          const nextAuthorizer = authorizerFor(security);
          const stripped = stripSecurityFeatures(supergraphSdl);
          if (!updateSupergraph) throw new Error('the gateway has not loaded a supergraph yet');
          const update = updateSupergraph;
          // Open subscriptions are checked again by the same steps, reading the new supergraph.
          return subscriptions.reload({
            supergraphSdl,
            onSwap() {
              update(stripped);
              authorizer = nextAuthorizer;
              Object.assign(costDirectives, readCostDirectives(supergraphSdl));
            },
          });
        },
        async close() {
          started = false;
          // Completes open subscriptions, closes WebSockets with 1001, ends SSE streams.
          await subscriptions.close();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await apollo.stop();
          await closeFetcher();
        },
      };
    },
  };
}
