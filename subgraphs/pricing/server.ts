import {
  loadPricingAnomalyPolicy,
  type PricingAnomalyPolicy,
} from '../../policies/pricing-anomaly-policy.ts';
import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../shared/build-subgraph-schema.ts';
import { createPrincipalVerifier } from '../shared/forwarded-principal.ts';
import { RequestFreshness, wantsFresh } from '../shared/cache/request-freshness.ts';
import { createSubgraphServer, type RunningSubgraph } from '../shared/subgraph-server.ts';
import type { SubgraphMetricsOptions } from '../shared/subgraph-metrics.ts';
import { createPricingContext, type PricingContext } from './context.ts';
import { EligibleOffer } from './eligible-offer.type.ts';
import { resolveEligibleOfferReference } from './eligible-offer.reference.ts';
import { EligibleOfferResolver } from './eligible-offer.resolver.ts';
import { parseMinimumMarginPercent } from './margin.ts';
import type { PricingPorts } from './ports/pricing-ports.ts';
import { PriceImpactResolver } from './price-impact.resolver.ts';
import { PriceResolver } from './price.resolver.ts';
import { resolveProductReference } from './product.reference.ts';
import { ProductResolver } from './product.resolver.ts';
import { resolvePromotionReference } from './promotion.reference.ts';
import { Promotion } from './promotion.type.ts';

export type PricingServerDeps = {
  /** Secrets of the gateway-signed principal (config `principalSecrets`); first current. */
  principalSecrets: readonly string[];
  /** The back-end: prices, costs, product master (assemble.ts builds them, cached, from the config). */
  ports: PricingPorts;
  /** Minimum margin of the margin floor, percent of the selling price (0 <= m < 100). Default 10. */
  minimumMarginPercent?: string | number;
  /** Which pricing anomalies block and which warn. Default policies/pricing-anomalies.yaml. */
  anomalies?: PricingAnomalyPolicy;
  /** Clock for the default `at` of prices. Default `Date.now`. */
  now?: () => number;
  /** GET /metrics: token, back-end clients (subgraph-metrics.ts). Default: open, none. */
  metrics?: SubgraphMetricsOptions;
};

/** The pricing subgraph's federated schema (no I/O; also used to emit the SDL). */
export function buildPricingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [ProductResolver, PriceResolver, PriceImpactResolver, EligibleOfferResolver],
      orphanedTypes: [Promotion, EligibleOffer],
    },
    {
      Product: { __resolveReference: resolveProductReference },
      Promotion: { __resolveReference: resolvePromotionReference },
      EligibleOffer: { __resolveReference: resolveEligibleOfferReference },
    },
  );
}

/** Context factory for one request, with fresh DataLoaders (also used by schema-level tests). */
export function createPricingContextFactory(
  deps: Omit<PricingServerDeps, 'principalSecrets'>,
): (req?: IncomingMessage) => PricingContext {
  const minimumMarginPercent = parseMinimumMarginPercent(deps.minimumMarginPercent);
  const anomalies = deps.anomalies ?? loadPricingAnomalyPolicy();
  return (req) =>
    createPricingContext({
      ports: deps.ports,
      minimumMarginPercent,
      anomalies,
      freshness: new RequestFreshness(wantsFresh(req?.headers)),
      ...(deps.now ? { now: deps.now } : {}),
    });
}

export type PricingServer = {
  name: 'pricing';
  /** Builds the schema (once) and listens; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<RunningSubgraph>;
};

/**
 * Builds the pricing subgraph server without side effects (configuration is validated here, so a
 * bad minimum margin fails at start-up); `.listen(port)` builds the schema (asynchronous in
 * type-graphql) and starts the `createSubgraphServer` HTTP server.
 */
export function createPricingServer(deps: PricingServerDeps): PricingServer {
  const context = createPricingContextFactory(deps);
  let schema: Promise<GraphQLSchema> | undefined;
  return {
    name: 'pricing',
    async listen(port, host) {
      schema ??= buildPricingSchema();
      return createSubgraphServer<PricingContext>({
        name: 'pricing',
        verifyPrincipal: createPrincipalVerifier({ secrets: deps.principalSecrets }),
        schema: await schema,
        context,
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      }).listen(port, host);
    },
  };
}
