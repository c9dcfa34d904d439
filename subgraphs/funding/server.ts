import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '../shared/build-subgraph-schema.ts';
import { createPrincipalVerifier, type ForwardedPrincipal } from '../shared/forwarded-principal.ts';
import { createSubgraphServer, type RunningSubgraph } from '../shared/subgraph-server.ts';
import type { SubgraphMetricsOptions } from '../shared/subgraph-metrics.ts';
import { createFundingContext, utcToday, type FundingContext } from './context.ts';
import { resolveFundingAgreementReference } from './funding-agreement.reference.ts';
import { FundingAgreementResolver } from './funding-agreement.resolver.ts';
import { FundingCheckResolver } from './funding-check.resolver.ts';
import { Promotion } from './funding-check.type.ts';
import type { FundingPorts } from './ports/funding-ports.ts';
import { resolveVendorReference } from './vendor.reference.ts';
import { VendorResolver } from './vendor.resolver.ts';

export type FundingServerDeps = {
  /** Secrets of the gateway-signed principal (config `principalSecrets`); first current. */
  principalSecrets: readonly string[];
  /** The back-end: agreements, vendors, list prices, product groups (assemble.ts builds them, cached). */
  ports: FundingPorts;
  /** Business day (YYYY-MM-DD) status is derived on; read once per request. Default: UTC today. */
  today?: () => string;
  /** GET /metrics: token, back-end clients (subgraph-metrics.ts). Default: open, none. */
  metrics?: SubgraphMetricsOptions;
};

/** The funding subgraph's federated schema (no I/O; also used to emit the SDL). */
export function buildFundingSchema(): Promise<GraphQLSchema> {
  const referenceResolvers = {
    FundingAgreement: { __resolveReference: resolveFundingAgreementReference },
    Vendor: { __resolveReference: resolveVendorReference },
  } as unknown as ReferenceResolvers;
  return buildFederatedSchema(
    {
      resolvers: [FundingAgreementResolver, VendorResolver, FundingCheckResolver],
      orphanedTypes: [Promotion],
    },
    referenceResolvers,
  );
}

/** Context factory: the ports, fresh DataLoaders and a fixed business day per request. */
export function createFundingContextFactory(
  deps: Omit<FundingServerDeps, 'principalSecrets'>,
): (req: unknown, principal: ForwardedPrincipal) => FundingContext {
  const today = deps.today ?? utcToday;
  return (_req, principal) => createFundingContext(deps.ports, principal, today);
}

export type FundingServer = {
  name: 'funding';
  /** Builds the schema and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
};

/** No side effects until `listen` (schema building is asynchronous in type-graphql). */
export function createFundingServer(deps: FundingServerDeps): FundingServer {
  const context = createFundingContextFactory(deps);
  return {
    name: 'funding',
    async listen(port, host) {
      const schema = await buildFundingSchema();
      return createSubgraphServer<FundingContext>({
        name: 'funding',
        verifyPrincipal: createPrincipalVerifier({ secrets: deps.principalSecrets }),
        schema,
        context,
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      }).listen(port, host);
    },
  };
}
