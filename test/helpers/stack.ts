import { readFileSync } from 'node:fs';
import { createBackendsServer } from '../../backends/server.ts';
import { loadAuthPolicy } from '../../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../../policies/authorization-policy.ts';
import { createKeyStore } from '../../gateway/auth/jwks-key-store.ts';
import { createAuthenticator } from '../../gateway/plugins/authenticate.ts';
import { createGatewayServer, type RunningGateway } from '../../gateway/server.ts';
import { readSecurityRequirements } from '../../gateway/security/supergraph-security.ts';
import { createBackendClient, type BackendClient } from '../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../subgraphs/shared/subgraph-server.ts';
import { createFundingServer } from '../../subgraphs/funding/server.ts';
import { createInventoryServer } from '../../subgraphs/inventory/server.ts';
import { createPricingServer } from '../../subgraphs/pricing/server.ts';
import { createPromotionServer } from '../../subgraphs/promotion/server.ts';
import { devToken } from './tokens.ts';
import { EMULATOR_TIMEOUT_MS } from './timeouts.ts';

type Backends = Awaited<ReturnType<ReturnType<typeof createBackendsServer>['listen']>>;

export type TestStack = {
  gatewayUrl: string;
  backends: Backends;
  subgraphs: Record<'promotion' | 'pricing' | 'inventory' | 'funding', RunningSubgraph>;
  promotion: Awaited<ReturnType<typeof createPromotionServer>>;
  /**
   * POSTs a GraphQL operation to the gateway and returns status and parsed body. Sent with
   * `stack.internalToken` (every scope of the supergraph) unless `options.token` says otherwise
   * (`null`: anonymous).
   */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: QueryOptions,
  ): Promise<{ status: number; body: { data?: T; errors?: GraphQLErrorJson[] } }>;
  /** An internal token carrying every scope the supergraph names. */
  internalToken: string;
  /** Every scope the supergraph names, sorted. */
  allScopes: string[];
  /** Operations that reached execution (query planning, subgraph fetches) since start. */
  executions(): number;
  close(): Promise<void>;
};

export type QueryOptions = {
  /** Bearer token; default `internalToken`; null sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
};

export type GraphQLErrorJson = {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown> & { code?: string };
};

export type TestStackOptions = {
  skus?: number;
  locations?: number;
  vendors?: number;
  clock?: () => Date;
};

/** The whole federation in one process, every server on port 0 (house style: tests start factories). */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const backends = await createBackendsServer({
    seed: {
      skus: options.skus ?? 300,
      locations: options.locations ?? 20,
      vendors: options.vendors ?? 10,
    },
  }).listen(0);
  const clients: BackendClient[] = [];
  const erp = (): BackendClient => {
    const client = createBackendClient({
      name: 'erp',
      baseUrl: backends.url,
      timeoutMs: EMULATOR_TIMEOUT_MS,
      retries: 2,
    });
    clients.push(client);
    return client;
  };
  const promotion = createPromotionServer({
    erp: erp(),
    channels: { baseUrl: `${backends.url}/channels`, signingSecret: 'dev-channel-signing-secret' },
    schedulerIntervalMs: 0,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const [promotionRunning, pricing, inventory, funding] = await Promise.all([
    promotion.listen(0),
    createPricingServer({ erp: erp() }).listen(0),
    createInventoryServer({ erp: erp() }).listen(0),
    createFundingServer({ erp: erp() }).listen(0),
  ]);
  const subgraphs = { promotion: promotionRunning, pricing, inventory, funding };
  const supergraphSdl = readFileSync('contracts/supergraph.graphql', 'utf8');
  const authPolicy = loadAuthPolicy('policies/auth.yaml');
  const allScopes = [
    ...new Set(
      [...readSecurityRequirements(supergraphSdl).values()].flatMap((r) => (r.scopes ?? []).flat()),
    ),
  ].sort();
  const internalToken = devToken({ scopes: allScopes });
  const gateway = createGatewayServer({
    supergraphSdl,
    subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
    environment: 'production',
    authenticate: createAuthenticator({
      policy: authPolicy,
      keys: createKeyStore(authPolicy.keys),
    }),
    authorization: loadAuthorizationPolicy('policies/authorization.yaml', {
      knownTokenClasses: Object.keys(authPolicy.tokenClasses),
    }),
  });
  let executions = 0;
  gateway.apollo.addPlugin({
    async requestDidStart() {
      return {
        async executionDidStart() {
          executions += 1;
        },
      };
    },
  });
  const running: RunningGateway = await gateway.listen(0);

  return {
    gatewayUrl: running.url,
    backends,
    subgraphs,
    promotion,
    internalToken,
    allScopes,
    executions: () => executions,
    async query(query, variables, options = {}) {
      const token = options.token === undefined ? internalToken : options.token;
      const res = await fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async close() {
      await running.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
      await Promise.all(clients.map((c) => c.close()));
      await backends.close();
    },
  };
}
