import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { createBackendClient, type BackendClient } from '../shared/backend-client.ts';
import { buildFederatedSchema, type ReferenceResolvers } from '../shared/build-subgraph-schema.ts';
import {
  createPrincipalVerifier,
  createServicePrincipalSigner,
} from '../shared/forwarded-principal.ts';
import { createSubgraphServer, type RunningSubgraph } from '../shared/subgraph-server.ts';
import { ChannelDispatcher } from './channel-dispatcher.ts';
import type { ChannelDeliveryDispatcher } from './delivery/durable-dispatcher.ts';
import type { ChannelPublisher } from './channel-publisher.ts';
import { createWebhookChannelPublisher } from './channel-webhook.adapter.ts';
import { createPromotionContext, type PromotionApp } from './context.ts';
import {
  EligibilityResolver,
  EligibleOfferResolver,
  ProductResolver,
} from './eligibility.resolver.ts';
import { Product } from './eligibility.type.ts';
import { createErpProductAdapter } from './erp-product.adapter.ts';
import type { EventBus } from './event-bus.ts';
import { InMemoryEventBus } from './in-memory-event-bus.ts';
import { InMemoryPromotionRepository } from './in-memory-promotion.repository.ts';
import { createPromotionCommands } from './promotion-commands.ts';
import { PromotionMutationResolver } from './promotion-mutation.resolver.ts';
import { PromotionSubscriptionResolver } from './promotion-subscription.resolver.ts';
import type { PromotionRepository } from './promotion.repository.ts';
import { promotionReferenceResolvers } from './promotion.reference.ts';
import { PromotionResolver } from './promotion.resolver.ts';
import { FundingAgreement, Vendor } from './promotion.type.ts';
import type { ProductMaster } from './promotion-validation.ts';
import type { ReadinessGate } from './readiness-gate.ts';
import { PromotionScheduler } from './scheduler.ts';
import { createSubgraphReadinessGate } from './subgraph-readiness.adapter.ts';
import {
  createSubgraphFundingDirectory,
  FUNDING_DIRECTORY_SCOPES,
  type FundingAgreementDirectory,
} from './subgraph-funding.adapter.ts';

/**
 * Scopes of this subgraph's service principal: what the fields it asks of the other subgraphs
 * declare (the readiness gate's `priceImpact`, `stockReadiness`, `funding`; the funding
 * directory's `fundingAgreement`), which they re-check (shared/field-access.ts).
 */
export const SERVICE_PRINCIPAL_SCOPES = [
  'pricing:read',
  'inventory:read',
  ...FUNDING_DIRECTORY_SCOPES,
] as const;

export type PromotionServerDeps = {
  /** Secrets of the gateway-signed principal (config `principalSecrets`); first current. */
  principalSecrets: readonly string[];
  /** ERP client (product master and plants are validated against it). */
  erp: BackendClient;
  /** Channel webhooks: `{baseUrl}/{channel}/promotions`, signed with `signingSecret`. */
  channels: { baseUrl: string; signingSecret: string; timeoutMs?: number };
  /** Default: in memory (one process). */
  repository?: PromotionRepository;
  /** Default: in memory (one process). */
  eventBus?: EventBus;
  /** Default: the system clock. */
  clock?: () => Date;
  /** Scheduler period; 0 disables the timer (call `app.scheduler.advanceByClock`). Default 1000. */
  schedulerIntervalMs?: number;
  /** Delivery retries: attempts (default 5), first delay (500 ms), largest delay (60 s). */
  delivery?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /**
   * The approval readiness gate. Default: the pricing, inventory and funding subgraphs' own APIs
   * at `readinessUrls` (subgraph-readiness.adapter.ts), as this subgraph's service principal.
   */
  readinessGate?: ReadinessGate;
  /** GraphQL URLs of pricing, inventory and funding for the default readiness gate. */
  readinessUrls?: Record<'pricing' | 'inventory' | 'funding', string>;
  /**
   * Who owns a funding agreement (partners may attach only their own vendor's). Default: the
   * funding subgraph at `readinessUrls.funding`, as this subgraph's service principal; without
   * either, a partner naming an agreement is refused (BACKEND_UNAVAILABLE).
   */
  fundingAgreements?: FundingAgreementDirectory;
  /**
   * Builds the channel dispatcher. Default: the in-process ChannelDispatcher (timers; fine for
   * the in-memory repository). With a SQL store pass `createDurableDispatcher` (delivery/), which
   * survives restarts and shares the work between instances.
   */
  dispatcher?: (parts: {
    repository: PromotionRepository;
    publisher: ChannelPublisher;
    clock: () => Date;
  }) => ChannelDeliveryDispatcher;
  /** Overrides the ERP product-master adapter (tests). */
  productMaster?: ProductMaster;
  /** Overrides the webhook publisher (tests). */
  publisher?: ChannelPublisher;
  /** Promotion id generator (tests). */
  newId?: () => string;
};

export type PromotionServer = {
  app: PromotionApp;
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
      ],
      orphanedTypes: [Vendor, FundingAgreement, Product],
      pubSub: NO_PUBSUB,
    },
    promotionReferenceResolvers as unknown as ReferenceResolvers,
  );
}

/** Wires repository, bus, commands, dispatcher and scheduler; starts nothing. */
export function createPromotionApp(
  deps: Omit<PromotionServerDeps, 'principalSecrets' | 'readinessGate'> & {
    readinessGate: ReadinessGate;
  },
): PromotionApp {
  const clock = deps.clock ?? (() => new Date());
  const eventBus = deps.eventBus ?? new InMemoryEventBus();
  const repository = deps.repository ?? new InMemoryPromotionRepository();
  if (repository instanceof InMemoryPromotionRepository) {
    repository.onEvents ??= (events) => eventBus.append(events);
  }
  const publisher =
    deps.publisher ??
    createWebhookChannelPublisher({
      baseUrl: deps.channels.baseUrl,
      signingSecret: deps.channels.signingSecret,
      ...(deps.channels.timeoutMs !== undefined ? { timeoutMs: deps.channels.timeoutMs } : {}),
      clock,
    });
  const dispatcher =
    deps.dispatcher?.({ repository, publisher, clock }) ??
    new ChannelDispatcher({ repository, publisher, clock, ...deps.delivery });
  const productMaster = deps.productMaster ?? createErpProductAdapter(deps.erp, { clock });
  const commands = createPromotionCommands({
    repository,
    dispatcher,
    productMaster,
    readinessGate: deps.readinessGate,
    ...(deps.fundingAgreements ? { fundingAgreements: deps.fundingAgreements } : {}),
    clock,
    ...(deps.newId ? { newId: deps.newId } : {}),
  });
  const scheduler = new PromotionScheduler({
    core: commands.core,
    repository,
    intervalMs: deps.schedulerIntervalMs ?? 1000,
  });
  return { repository, eventBus, commands, dispatcher, scheduler, clock };
}

/** One client per subgraph the default readiness gate asks (pricing, inventory, funding). */
function readinessClients(deps: PromotionServerDeps): BackendClient[] {
  if (!deps.readinessUrls) {
    throw new Error('createPromotionServer needs readinessUrls (or a readinessGate)');
  }
  const urls = deps.readinessUrls;
  return (['pricing', 'inventory', 'funding'] as const).map((name) =>
    createBackendClient({ name, baseUrl: urls[name], timeoutMs: 5000, retries: 1 }),
  );
}

/** Builds the app now and the schema on `listen` (no side effects until then). */
export function createPromotionServer(deps: PromotionServerDeps): PromotionServer {
  const gateClients = deps.readinessGate ? [] : readinessClients(deps);
  const principal = createServicePrincipalSigner({
    secret: deps.principalSecrets[0]!,
    subject: 'promotion-readiness-gate',
    scopes: SERVICE_PRINCIPAL_SCOPES,
  });
  const readinessGate =
    deps.readinessGate ??
    createSubgraphReadinessGate({
      clients: {
        pricing: gateClients[0]!,
        inventory: gateClients[1]!,
        funding: gateClients[2]!,
      },
      principal,
    });
  const fundingClient =
    deps.fundingAgreements || !deps.readinessUrls
      ? undefined
      : createBackendClient({
          name: 'funding',
          baseUrl: deps.readinessUrls.funding,
          timeoutMs: 5000,
          retries: 1,
        });
  const fundingAgreements =
    deps.fundingAgreements ??
    (fundingClient
      ? createSubgraphFundingDirectory({ client: fundingClient, principal })
      : undefined);
  const clients = [...gateClients, ...(fundingClient ? [fundingClient] : [])];
  const app = createPromotionApp({
    ...deps,
    readinessGate,
    ...(fundingAgreements ? { fundingAgreements } : {}),
  });
  return {
    app,
    async listen(port, host) {
      const server = createSubgraphServer({
        name: 'promotion',
        verifyPrincipal: createPrincipalVerifier({ secrets: deps.principalSecrets }),
        schema: await buildPromotionSchema(),
        context: (_req, principal) => createPromotionContext(app, principal),
      });
      const running = await server.listen(port, host);
      app.scheduler.start();
      return {
        ...running,
        async close() {
          await app.scheduler.stop();
          await app.dispatcher.close();
          await running.close();
          await Promise.all(clients.map((client) => client.close()));
        },
      };
    },
  };
}
