import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '../shared/build-subgraph-schema.ts';
import { createPrincipalVerifier } from '../shared/forwarded-principal.ts';
import { RequestFreshness, wantsFresh } from '../shared/cache/request-freshness.ts';
import { createSubgraphServer, type RunningSubgraph } from '../shared/subgraph-server.ts';
import type { SubgraphMetricsOptions } from '../shared/subgraph-metrics.ts';
import { createPromotionContext, type PromotionApp } from './graph/context.ts';
import { DeadLetterRedriveResolver } from './graph/dead-letter-redrive.resolver.ts';
import {
  PromotionEventExceptionResolver,
  PromotionExceptionResolver,
} from './graph/promotion-exception.resolver.ts';
import {
  EligibilityResolver,
  EligibleOfferResolver,
  ProductResolver,
} from './graph/eligibility.resolver.ts';
import { Product } from './graph/eligibility.type.ts';
import { PromotionMutationResolver } from './graph/promotion-mutation.resolver.ts';
import { PromotionSubscriptionResolver } from './graph/promotion-subscription.resolver.ts';
import { promotionReferenceResolvers } from './graph/promotion.reference.ts';
import { PromotionResolver } from './graph/promotion.resolver.ts';
import { RedemptionResolver } from './graph/redemption.resolver.ts';
import { ReconciliationResolver } from './graph/reconciliation.resolver.ts';
import { StockHoldResolver } from './graph/stock-hold.resolver.ts';
import { FundingAgreement, Vendor } from './graph/promotion.type.ts';

export type PromotionServerDeps = {
  /** The assembled app (assemble.ts): repository, bus, commands, dispatcher, scheduler. */
  app: PromotionApp;
  /** Secrets of the gateway-signed principal (config `principalSecrets`); first current. */
  principalSecrets: readonly string[];
  /** GET /metrics: token, back-end clients, collectors (subgraph-metrics.ts). Default: open, none. */
  metrics?: SubgraphMetricsOptions;
};

export type PromotionServer = {
  listen(port: number, host?: string): Promise<RunningSubgraph>;
};

/** type-graphql insists on a PubSub; subscriptions here use `subscribe` (the EventBus) instead. */
const NO_PUBSUB = {
  publish: () => undefined,
  subscribe: (): AsyncIterable<unknown> => {
    throw new Error('promotion subscriptions read the EventBus, not a PubSub');
  },
};

/** The federated schema; needs no running back-end (used to emit the committed SDL). */
export function buildPromotionSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        PromotionResolver,
        PromotionMutationResolver,
        EligibilityResolver,
        EligibleOfferResolver,
        ProductResolver,
        PromotionSubscriptionResolver,
        DeadLetterRedriveResolver,
        PromotionExceptionResolver,
        PromotionEventExceptionResolver,
        RedemptionResolver,
        ReconciliationResolver,
        StockHoldResolver,
      ],
      orphanedTypes: [Vendor, FundingAgreement, Product],
      pubSub: NO_PUBSUB,
    },
    promotionReferenceResolvers as unknown as ReferenceResolvers,
  );
}

/**
 * Serves an assembled app: builds the schema on `listen` (no side effects until then), then
 * starts the scheduler and the activation and exception monitors; `close` stops them and the
 * server. The app's storage, bus and dispatcher belong to whoever assembled it (assemble.ts
 * `dispose`).
 */
export function createPromotionServer(deps: PromotionServerDeps): PromotionServer {
  const { app } = deps;
  return {
    async listen(port, host) {
      const server = createSubgraphServer({
        name: 'promotion',
        verifyPrincipal: createPrincipalVerifier({ secrets: deps.principalSecrets }),
        schema: await buildPromotionSchema(),
        context: (req, principal) =>
          createPromotionContext(app, principal, new RequestFreshness(wantsFresh(req?.headers))),
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      });
      const running = await server.listen(port, host);
      app.scheduler.start();
      app.activation.start();
      app.exceptions.start();
      app.stockHolds?.start();
      return {
        ...running,
        async close() {
          await app.scheduler.stop();
          await app.activation.stop();
          await app.exceptions.stop();
          await running.close();
        },
      };
    },
  };
}
