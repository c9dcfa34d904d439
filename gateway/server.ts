import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createHttpHandler } from './http-handler.ts';
import type { AuthorizationPolicy } from '../policies/authorization-policy.ts';
import type { Authenticator } from './plugins/authenticate.ts';
import { errorMaskingFormatter } from './plugins/error-masking.ts';
import { gatewayPlugins } from './plugins/index.ts';
import type { GatewayContext } from './principal.ts';
import { checkReadiness } from './readiness.ts';
import { readSecurityRequirements, stripSecurityFeatures } from './security/supergraph-security.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';

export type GatewayServerOptions = {
  /** Composed supergraph SDL (contracts/supergraph.graphql). */
  supergraphSdl: string;
  /** Subgraph name → URL, overriding the routing URLs composed into the supergraph. */
  subgraphUrls: Record<string, string>;
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
};

export type RunningGateway = { url: string; port: number; close(): Promise<void> };

export type GatewayServer = {
  apollo: ApolloServer<GatewayContext>;
  registry: Registry;
  listen(port: number, host?: string): Promise<RunningGateway>;
};

/** Builds the gateway (no side effects until `listen`). */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  // Access control is read from the supergraph as composed; ApolloGateway, which refuses
  // SECURITY features it does not enforce, gets the same supergraph without them.
  const requirements = readSecurityRequirements(options.supergraphSdl);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { fetcherFor, close: closeFetcher } = createSubgraphFetcher({
    timeoutMs: options.subgraphTimeoutMs ?? 10_000,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: stripSecurityFeatures(options.supergraphSdl),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: options.subgraphUrls[name] ?? url,
        fetcher: fetcherFor(name),
      }),
  });
  const production = options.environment === 'production';
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: gatewayPlugins({
      registry,
      authorize: {
        requirements,
        ...(options.authorization ? { policy: options.authorization } : {}),
      },
    }),
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
  });

  return {
    apollo,
    registry,
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      started = true;
      const server: Server = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          console.error('[gateway] request failed', error);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              errors: [
                { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
              ],
            }),
          );
        });
      });
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      return {
        url: `http://${host}:${address.port}/graphql`,
        port: address.port,
        async close() {
          started = false;
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
