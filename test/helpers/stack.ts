import { createBackendsServer } from '../../backends/server.ts';
import type { CachePolicy } from '../../policies/cache-policy.ts';
import type { DeliveryPolicy } from '../../policies/delivery-policy.ts';
import { assembleGateway, type GatewayOverrides } from '../../gateway/assemble.ts';
import { readGatewayConfig } from '../../gateway/config.ts';
import type { ThrottleOptions } from '../../gateway/plugins/throttle.ts';
import type { GatewayServerOptions, RunningGateway } from '../../gateway/server.ts';
import { createBackendClient, type BackendClient } from '../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../subgraphs/shared/subgraph-server.ts';
import { assembleFundingSubgraph } from '../../subgraphs/funding/assemble.ts';
import { assembleInventorySubgraph } from '../../subgraphs/inventory/assemble.ts';
import { assemblePricingSubgraph } from '../../subgraphs/pricing/assemble.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../subgraphs/promotion/assemble.ts';
import { acquirePglite, releasePglite } from './pglite-pool.ts';
import { TEST_PRINCIPAL_SECRET } from './principal.ts';
import { testSubgraphConfig } from './subgraph-config.ts';
import { devToken } from './tokens.ts';
import { EMULATOR_TIMEOUT_MS } from './timeouts.ts';

type Backends = Awaited<ReturnType<ReturnType<typeof createBackendsServer>['listen']>>;

export type TestStack = {
  gatewayUrl: string;
  backends: Backends;
  subgraphs: Record<'promotion' | 'pricing' | 'inventory' | 'funding', RunningSubgraph>;
  /** The promotion subgraph as assembled (its `app`: repository, bus, dispatcher...). */
  promotion: AssembledPromotionSubgraph;
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
  /**
   * POSTs a raw JSON body (any shape: operationName, documentId, extensions...) with `token`
   * (null: anonymous) and returns status and parsed body.
   */
  post<T = Record<string, unknown>>(
    body: unknown,
    token: string | null,
  ): Promise<{ status: number; body: { data?: T; errors?: GraphQLErrorJson[] } }>;
  /** An internal token carrying every scope the supergraph names. */
  internalToken: string;
  /** Every scope the supergraph names, sorted. */
  allScopes: string[];
  /** Operations that reached execution (query planning, subgraph fetches) since start. */
  executions(): number;
  /**
   * What each execution ran, as the request pipeline left it on the context: whether it was
   * admitted, the steps it passed, and whether it is the operation Apollo hands the executor.
   */
  executed(): ExecutionRecord[];
  close(): Promise<void>;
};

export type ExecutionRecord = {
  admitted: boolean;
  passed: string[];
  sameOperation: boolean;
  operationType: string | undefined;
  principal: string | undefined;
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
  /** Rate limits of the gateway (plugins/throttle.ts). Default none. */
  throttle?: ThrottleOptions;
  /** Operations policy getter and trusted documents of the gateway. Default: the gateway's. */
  operations?: GatewayServerOptions['operations'];
  trustedDocuments?: GatewayServerOptions['trustedDocuments'];
  /** The promotion subgraph's delivery policy. Default: policies/delivery.yaml. */
  deliveryPolicy?: DeliveryPolicy;
  /** The promotion subgraph's exception sweep period (0: none). Default: the subgraph's, 5 s. */
  exceptionIntervalMs?: number;
  /** Ports' cache windows replacing policies/caching.yaml's (every subgraph's). */
  cachePolicy?: Partial<CachePolicy>;
};

/**
 * What a test gateway replaces in the gateway `assembleGateway` makes from the default config:
 * production error masking with the development keys, the test principal secret, and none of
 * the policy files' limits, throttle or trusted documents unless the test passes them.
 */
export function testGatewayOverrides(
  subgraphUrls: Record<string, string>,
  options: Pick<TestStackOptions, 'throttle' | 'operations' | 'trustedDocuments'> = {},
): GatewayOverrides {
  return {
    subgraphUrls,
    environment: 'production',
    principalSecret: TEST_PRINCIPAL_SECRET,
    throttle: options.throttle ?? null,
    operations: options.operations ?? null,
    trustedDocuments: options.trustedDocuments ?? null,
    metricsToken: null,
  };
}

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
  // The promotion subgraph's readiness gate asks the other three: they start first. Each is
  // assembled like in production (its own ERP client, the in-process cache, policies/caching.yaml).
  const base = testSubgraphConfig({
    erpUrl: backends.url,
    backendTimeoutMs: EMULATOR_TIMEOUT_MS,
  });
  const erpConfig = { ...base, cachePolicy: { ...base.cachePolicy, ...options.cachePolicy } };
  const erpSubgraphs = {
    pricing: assemblePricingSubgraph(erpConfig),
    inventory: assembleInventorySubgraph(erpConfig),
    funding: assembleFundingSubgraph(erpConfig),
  };
  const [pricing, inventory, funding] = await Promise.all([
    erpSubgraphs.pricing.listen(0),
    erpSubgraphs.inventory.listen(0),
    erpSubgraphs.funding.listen(0),
  ]);
  // Its store: embedded PGlite in memory, from the test process's pool (pglite-pool.ts).
  const promotionDb = await acquirePglite();
  const promotion = await assemblePromotionSubgraph(
    testSubgraphConfig({
      channelsUrl: `${backends.url}/channels`,
      subgraphUrls: { pricing: pricing.url, inventory: inventory.url, funding: funding.url },
      cachePolicy: erpConfig.cachePolicy,
    }),
    {
      erp: erp(),
      database: promotionDb,
      schedulerIntervalMs: 0,
      // Tests run the stock-hold sweep themselves (app.stockHolds.runOnce).
      stockHoldIntervalMs: 0,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.deliveryPolicy ? { delivery: { policy: options.deliveryPolicy } } : {}),
      ...(options.exceptionIntervalMs !== undefined
        ? { exceptionIntervalMs: options.exceptionIntervalMs }
        : {}),
    },
  );
  const promotionRunning = await promotion.listen(0);
  const subgraphs = { promotion: promotionRunning, pricing, inventory, funding };
  const assembled = assembleGateway(
    readGatewayConfig({}),
    testGatewayOverrides(
      Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
      options,
    ),
  );
  const gateway = assembled.server;
  const allScopes = [...assembled.supergraph.scopes];
  // Plus the readiness-override scope, which the subgraph checks (no field carries it).
  const internalToken = devToken({ scopes: [...allScopes, 'promotion:approve:override'] });
  let executions = 0;
  const executed: ExecutionRecord[] = [];
  gateway.apollo.addPlugin({
    async requestDidStart() {
      return {
        async executionDidStart({ contextValue, operation }) {
          executions += 1;
          const resolved = contextValue.resolved;
          executed.push({
            admitted: resolved?.admitted ?? false,
            passed: [...(resolved?.passed ?? [])],
            sameOperation: resolved !== undefined && resolved.operation === operation,
            operationType: resolved?.operationType,
            principal: contextValue.principal?.tokenClass,
          });
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
    executed: () => executed,
    async post(body, token) {
      const res = await fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
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
      await assembled.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
      await promotion.dispose();
      await releasePglite(promotionDb);
      await Promise.all(Object.values(erpSubgraphs).map((s) => s.dispose()));
      await Promise.all(clients.map((c) => c.close()));
      await backends.close();
    },
  };
}
