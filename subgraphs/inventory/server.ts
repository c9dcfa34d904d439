import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '../shared/build-subgraph-schema.ts';
import { createPrincipalVerifier } from '../shared/forwarded-principal.ts';
import { RequestFreshness, wantsFresh } from '../shared/cache/request-freshness.ts';
import { createSubgraphServer, type RunningSubgraph } from '../shared/subgraph-server.ts';
import type { SubgraphMetricsOptions } from '../shared/subgraph-metrics.ts';
import { DEFAULT_LOW_STOCK_THRESHOLD } from './atp.ts';
import { AvailabilityResolver } from './availability.resolver.ts';
import { createInventoryContext, type InventoryContext } from './context.ts';
import { resolveInventoryPositionReference } from './inventory-position.reference.ts';
import { InventoryPosition } from './inventory-position.type.ts';
import { resolveLocationReference } from './location.reference.ts';
import { LocationResolver } from './location.resolver.ts';
import { Location } from './location.type.ts';
import type { InventoryPorts } from './ports/inventory-ports.ts';
import { resolveProductReference } from './product.reference.ts';
import { ProductResolver } from './product.resolver.ts';
import { Product } from './product.type.ts';
import { resolvePromotionReference } from './promotion.reference.ts';
import { Promotion } from './promotion.type.ts';
import { StockReadinessResolver } from './stock-readiness.resolver.ts';
import type { StockReadinessPolicy } from '../../policies/stock-readiness-policy.ts';

export type InventoryServerDeps = {
  /** Secrets of the gateway-signed principal (config `principalSecrets`); first current. */
  principalSecrets: readonly string[];
  /** The back-end: stock and locations (assemble.ts builds them, cached, from the config). */
  ports: InventoryPorts;
  /** ATP at or below this many base units is LOW_STOCK. Default 5. */
  lowStockThreshold?: number | string;
  /** When a location's stock holds a promotion back (config `stockReadinessPolicy`). */
  stockReadinessPolicy: StockReadinessPolicy;
  /** GET /metrics: token, back-end clients (subgraph-metrics.ts). Default: open, none. */
  metrics?: SubgraphMetricsOptions;
};

export function buildInventorySchema(): Promise<GraphQLSchema> {
  const referenceResolvers = {
    Location: { __resolveReference: resolveLocationReference },
    InventoryPosition: { __resolveReference: resolveInventoryPositionReference },
    Product: { __resolveReference: resolveProductReference },
    Promotion: { __resolveReference: resolvePromotionReference },
  } as unknown as ReferenceResolvers;
  return buildFederatedSchema(
    {
      resolvers: [AvailabilityResolver, LocationResolver, ProductResolver, StockReadinessResolver],
      orphanedTypes: [Location, InventoryPosition, Product, Promotion],
    },
    referenceResolvers,
  );
}

export type InventoryServer = {
  name: 'inventory';
  /** Builds the schema (once) and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
};

/** No side effects until `listen` (schema building is asynchronous in type-graphql). */
export function createInventoryServer(deps: InventoryServerDeps): InventoryServer {
  const threshold = String(deps.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD);
  if (!/^\d+(\.\d+)?$/.test(threshold)) {
    throw new Error(`lowStockThreshold must be a non-negative number, got "${threshold}"`);
  }
  let schema: Promise<GraphQLSchema> | undefined;
  return {
    name: 'inventory',
    async listen(port, host) {
      schema ??= buildInventorySchema();
      return createSubgraphServer<InventoryContext>({
        name: 'inventory',
        verifyPrincipal: createPrincipalVerifier({ secrets: deps.principalSecrets }),
        schema: await schema,
        context: (req) =>
          createInventoryContext(
            deps.ports,
            threshold,
            new RequestFreshness(wantsFresh(req?.headers)),
            deps.stockReadinessPolicy,
          ),
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      }).listen(port, host);
    },
  };
}
