import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { loadAuthPolicy } from '../../../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../../../policies/authorization-policy.ts';
import { createKeyStore } from '../../../gateway/auth/jwks-key-store.ts';
import { createPrincipalSigner, PRINCIPAL_HEADER } from '../../../gateway/forward-principal.ts';
import { createAuthenticator } from '../../../gateway/plugins/authenticate.ts';
import { createOperationAuthorizer } from '../../../gateway/plugins/authorize.ts';
import { pipelineSteps } from '../../../gateway/plugins/index.ts';
import { readSecurityRequirements } from '../../../gateway/security/supergraph-security.ts';
import {
  createSubscriptionServer,
  type SubscriptionServer,
  type SubscriptionServerOptions,
} from '../../../gateway/subscriptions/subscription-server.ts';
import type { TestStack } from '../../helpers/stack.ts';
import { TEST_PRINCIPAL_SECRET } from '../../helpers/principal.ts';

export const SUPERGRAPH_SDL = readFileSync('contracts/supergraph.graphql', 'utf8');

export const authorizationPolicy = () => {
  const authPolicy = loadAuthPolicy('policies/auth.yaml');
  return loadAuthorizationPolicy('policies/authorization.yaml', {
    knownTokenClasses: Object.keys(authPolicy.tokenClasses),
  });
};

export type SubscriptionGateway = {
  /** `http://127.0.0.1:<port>/graphql`: graphql-ws and SSE; `/metrics` next to it. */
  url: string;
  server: SubscriptionServer;
  /** As gateway/server.ts reloads: the authorizer of the new supergraph, then the server's reload. */
  reload(supergraphSdl: string): Promise<{ continued: number; ended: number }>;
  close(): Promise<void>;
};

/**
 * The gateway's subscription server alone on its own HTTP server (queries and mutations go to
 * the stack's gateway), configured as gateway/server.ts does, so a test can reach what
 * server.ts does not expose: `reload`, the buffer limits.
 */
export async function startSubscriptionGateway(
  stack: TestStack,
  options: Partial<SubscriptionServerOptions> = {},
): Promise<SubscriptionGateway> {
  const authPolicy = loadAuthPolicy('policies/auth.yaml');
  const sign = createPrincipalSigner({ secret: TEST_PRINCIPAL_SECRET });
  const registry = new Registry();
  const policy = authorizationPolicy();
  const authorizerFor = (sdl: string) =>
    createOperationAuthorizer({ requirements: readSecurityRequirements(sdl), policy });
  let authorizer = authorizerFor(SUPERGRAPH_SDL);
  const steps = pipelineSteps({ authorize: { current: () => authorizer } });
  const server = createSubscriptionServer({
    supergraphSdl: SUPERGRAPH_SDL,
    subgraphUrls: Object.fromEntries(
      Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url]),
    ),
    authenticate: createAuthenticator({
      policy: authPolicy,
      keys: createKeyStore(authPolicy.keys),
    }),
    steps: () => steps,
    upstreamHeaders: (principal) => ({ [PRINCIPAL_HEADER]: sign(principal) }),
    registry,
    ...options,
  });
  const http = createServer((req, res) => {
    void server.handleSse(req, res).then(async (served) => {
      if (served) return;
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
        return;
      }
      res.writeHead(404).end();
    });
  });
  server.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    async reload(supergraphSdl) {
      const next = authorizerFor(supergraphSdl);
      return server.reload({ supergraphSdl, onSwap: () => (authorizer = next) });
    },
    async close() {
      await server.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
