import { loadDeliveryPolicy } from '../../policies/delivery-policy.ts';
import { createBackendClient, type BackendClient } from '../shared/backend-client.ts';
import type { SubgraphConfig } from '../shared/config.ts';
import type { StartableSubgraph } from '../shared/run-subgraph.ts';
import type { RunningSubgraph } from '../shared/subgraph-server.ts';
import { createErpProductAdapter } from './adapters/erp-product.adapter.ts';
import type { Cache } from '../shared/cache/cache.ts';
import { createSubgraphCache } from '../shared/cache/create-cache.ts';
import { cachedProductFacts } from './eligibility/cached-product-facts.ts';
import { createScopeExpansion } from './eligibility/scope-expansion.ts';
import { RedemptionLedger } from './redemptions/redemption-ledger.ts';
import { ReconciliationLedger } from './reconciliation/reconciliation-ledger.ts';
import type { SettlementPort } from './reconciliation/settlement-port.ts';
import { createErpSettlementAdapter } from './adapters/erp-settlement.adapter.ts';
import { stackingConflicts } from './readiness/stacking-conflicts.ts';
import { createWebhookChannelPublisher } from './adapters/channel-webhook.adapter.ts';
import { createPromotionCommands } from './commands/promotion-commands.ts';
import type { ProductMaster } from './commands/promotion-validation.ts';
import { PromotionScheduler } from './commands/scheduler.ts';
import type { ChannelPublisher } from './delivery/channel-publisher.ts';
import {
  createDurableDispatcher,
  type DurableDispatcherOptions,
} from './delivery/durable-dispatcher.ts';
import { describeDeliveryEvent } from './delivery/delivery-events.ts';
import type { EventBus } from './events/event-bus.ts';
import { HistoryEventBus } from './events/history-event-bus.ts';
import { InMemoryEventBus } from './events/in-memory-event-bus.ts';
import { createRedisEventBus, RedisEventBus } from './events/redis-event-bus.ts';
import type { PromotionApp } from './graph/context.ts';
import { createSubgraphPorts, type SubgraphPortsOverrides } from './readiness/subgraph-ports.ts';
import { createPromotionServer } from './server.ts';
import { promotionMetrics } from './promotion-metrics.ts';
import { ActivationMonitor } from './activation/activation-monitor.ts';
import { PublishedIndex } from './eligibility/published-index.ts';
import { ExceptionMonitor } from './exceptions/exception-monitor.ts';
import { StockHoldMonitor } from './readiness/stock-hold-monitor.ts';
import type { ReplenishmentPort } from './replenishment/replenishment-port.ts';
import { createErpReplenishmentAdapter } from './adapters/erp-replenishment.adapter.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';
import { ExceptionQueries } from './exceptions/exception-queries.ts';
import { PromotionEventKind, PromotionState } from './model/promotion-enums.ts';
import { OutboxHistory } from './storage/outbox-history.ts';
import { createPromotionStorage, type PromotionStorage } from './storage/promotion-storage.ts';
import type { SqlDatabase } from './storage/sql-database.ts';

/** What a caller (tests, the bench) may replace in the subgraph `config` describes. */
export type PromotionOverrides = SubgraphPortsOverrides & {
  /**
   * ERP client of the product master. Default: one on `config.erpUrl`, closed by dispose (none
   * when `productMaster` is given).
   */
  erp?: BackendClient;
  /** Domain time: windows, scheduler, audit and events. Default: the system clock. */
  clock?: () => Date;
  /** Scheduler period; 0 disables its timer (call `app.scheduler.advanceByClock`). Default 1000. */
  schedulerIntervalMs?: number;
  /**
   * The activation monitor's sweep period (it also sweeps whenever a delivery status changes);
   * 0 disables both (call `app.activation.runOnce`). Default 500 ms.
   */
  activationIntervalMs?: number;
  /** The stock-hold sweep's period; 0 disables it (call `app.stockHolds.runOnce`). Default 30 000. */
  stockHoldIntervalMs?: number;
  /** The exception sweep's period; 0 disables it (call `app.exceptions.runOnce`). Default 5000. */
  exceptionIntervalMs?: number;
  /**
   * The event bus. Default: Redis Streams at `config.redisUrl`, else in-process (one instance).
   * A bus passed here stays open on dispose: it is the caller's.
   */
  eventBus?: EventBus;
  /**
   * An opened database instead of the one `config` names (e.g. a pool on a test schema, or one
   * PGlite two instances share). It stays open on dispose: it is the caller's.
   */
  database?: SqlDatabase;
  /** Outbox relay poll period (other processes' commits). Default 1000 ms. */
  relayPollIntervalMs?: number;
  /**
   * The durable dispatcher's tuning: the delivery policy (per channel: retry schedule,
   * concurrency, request timeout, circuit; default policies/delivery.yaml), poll interval, lease,
   * owner, error sink, delivery event hook (default: a warn log line per dead letter and
   * circuit change), and its clock (retry schedule and leases; default `clock`). Defaults:
   * delivery/durable-dispatcher.ts.
   */
  delivery?: Partial<Omit<DurableDispatcherOptions, 'db' | 'repository' | 'publisher'>>;
  /** Replaces the webhooks to `config.channelsUrl`. */
  publisher?: ChannelPublisher;
  /** Replaces the ERP product master. */
  productMaster?: ProductMaster;
  /** Replaces the ERP's condition contract postings (reconciliation). */
  settlement?: SettlementPort;
  /** Replaces the ERP's purchase requisitions (replenishment of held locations). */
  replenishment?: ReplenishmentPort;
  /**
   * The cache of product facts, instead of the one the config chooses (the caller closes it);
   * null: none.
   */
  cache?: Cache | null;
  /** Promotion id generator. Default `prm_` + 20 hex characters. */
  newId?: () => string;
  /**
   * The in-memory index of published promotions eligibility reads (eligibility/published-index.ts):
   * how often it looks for other instances' commits, in ms (default 250); 0: never (this
   * instance's own commits still reach it).
   */
  publishedIndexPollMs?: number;
};

export type AssembledPromotionSubgraph = StartableSubgraph & {
  /** The long-lived parts every request shares (tests drive them directly). */
  app: PromotionApp;
  /** Database, repository and outbox relay. */
  storage: PromotionStorage;
  listen(port: number, host?: string): Promise<RunningSubgraph>;
  /** Stops the scheduler and dispatcher, then closes storage and what was opened here. */
  dispose(): Promise<void>;
};

/**
 * The one composition root of the promotion subgraph (index.ts, the tests and the bench): the
 * store (PostgreSQL at `config.databaseUrl`, else embedded PGlite, in memory unless
 * `config.pgliteDataDir`) with its outbox relay, the event bus (Redis at `config.redisUrl`, else
 * in-process), the durable channel dispatcher, the ERP product master, the readiness gate and
 * funding directory over the other subgraphs, commands and scheduler. Opens the store and runs
 * its migrations; serves nothing until `listen`.
 */
export async function assemblePromotionSubgraph(
  config: SubgraphConfig,
  overrides: PromotionOverrides = {},
): Promise<AssembledPromotionSubgraph> {
  const clock = overrides.clock ?? (() => new Date());
  const eventBus =
    overrides.eventBus ??
    (config.redisUrl
      ? await createRedisEventBus({
          url: config.redisUrl,
          ...(config.eventKeyPrefix ? { namespace: config.eventKeyPrefix } : {}),
        })
      : new InMemoryEventBus());
  const closeBus = async () => {
    if (!overrides.eventBus && eventBus instanceof RedisEventBus) await eventBus.close();
  };
  let storage: PromotionStorage;
  try {
    storage = await createPromotionStorage({
      ...(overrides.database ? { db: overrides.database } : {}),
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      databaseTimeouts: config.databaseTimeouts,
      ...(config.pgliteDataDir ? { pgliteDataDir: config.pgliteDataDir } : {}),
      ...(overrides.relayPollIntervalMs !== undefined
        ? { pollIntervalMs: overrides.relayPollIntervalMs }
        : {}),
      bus: eventBus,
    });
  } catch (error) {
    await closeBus();
    throw error;
  }
  const { repository } = storage;
  // An ERP client of its own only when the product master, settlement or replenishment needs
  // one and none was passed.
  const ownErp =
    (overrides.productMaster && overrides.settlement && overrides.replenishment) || overrides.erp
      ? undefined
      : createBackendClient({
          name: 'erp',
          baseUrl: config.erpUrl,
          timeoutMs: config.backendTimeoutMs,
        });
  const productMaster =
    overrides.productMaster ??
    createErpProductAdapter((overrides.erp ?? ownErp)!, {
      clock,
      hierarchyLevels: config.productHierarchyLevels,
    });
  // The product master's facts per SKU (category, brand, hierarchy) behind the subgraph's cache.
  const cache =
    overrides.cache !== undefined ? overrides.cache : createSubgraphCache(config, 'promotion');
  const ownCache = overrides.cache === undefined ? cache : null;
  const productFacts = cachedProductFacts(productMaster, cache, config.cachePolicy.products);
  const expandScope = createScopeExpansion(
    productMaster,
    productFacts,
    cache,
    config.cachePolicy.products,
  );
  const publisher =
    overrides.publisher ??
    createWebhookChannelPublisher({
      baseUrl: config.channelsUrl,
      signingSecret: config.channelSigningSecret,
    });
  // Deliveries live in the database: nothing lost on restart, instances share the work. Each
  // channel is its own lane (policies/delivery.yaml). Dead letters and circuit changes are
  // logged here; exceptions are raised from the stored state (exceptions/).
  const policy = overrides.delivery?.policy ?? loadDeliveryPolicy();
  const dispatcher = createDurableDispatcher({
    clock,
    onDeliveryEvent: (event) => processLogger().warn({ event }, describeDeliveryEvent(event)),
    ...overrides.delivery,
    policy,
    db: storage.db,
    repository,
    publisher,
  });
  const ports = createSubgraphPorts(config, overrides);
  const commands = createPromotionCommands({
    repository,
    dispatcher,
    productMaster,
    expandScope,
    stackingConflicts: (candidate, scopeSkus) =>
      stackingConflicts(candidate, scopeSkus, {
        published,
        productFacts,
        action: config.pricingAnomalyPolicy.stackingConflict.action,
      }),
    readinessGate: ports.readinessGate,
    ...(ports.fundingAgreements ? { fundingAgreements: ports.fundingAgreements } : {}),
    clock,
    activation: policy.activation,
    ...(overrides.newId ? { newId: overrides.newId } : {}),
  });
  const scheduler = new PromotionScheduler({
    core: commands.core,
    repository,
    intervalMs: overrides.schedulerIntervalMs ?? 1000,
  });
  const activation = new ActivationMonitor({
    core: commands.core,
    repository,
    intervalMs: overrides.activationIntervalMs ?? 500,
    policy: policy.activation,
  });
  if ((overrides.activationIntervalMs ?? 500) > 0) {
    // A delivery status change (or any commit) may complete or break an activation.
    const notify = repository.onEvents;
    repository.onEvents = (events) => {
      notify?.(events);
      if (events.some((e) => e.kind === PromotionEventKind.CHANNEL_STATUS_CHANGED)) {
        activation.wake();
      }
    };
  }
  // Eligibility reads the published promotions from memory, kept current from the outbox.
  const published = new PublishedIndex({
    repository,
    pollMs: overrides.publishedIndexPollMs ?? 250,
    onError: (err) => processLogger().warn({ err }, 'promotion published index catch-up failed'),
  });
  const notifyOthers = repository.onEvents;
  repository.onEvents = (events) => {
    published.notify();
    notifyOthers?.(events);
  };
  try {
    await published.start();
  } catch (error) {
    await storage.close();
    await closeBus();
    await ownCache?.close();
    throw error;
  }
  const exceptions = new ExceptionMonitor({
    db: storage.db,
    clock,
    deliverySloMs: (channel) => policy.channels[channel].deliverySloMs,
    nearCapPercent: config.fundingNearCapPercent,
    intervalMs: overrides.exceptionIntervalMs ?? 5000,
    onEvents: (events) => repository.onEvents?.(events),
  });
  // Holds for stock are released when inventory, asked through its API, decides GO.
  const stockDecisions = ports.readinessGate.stockDecisions?.bind(ports.readinessGate);
  const stockHolds = stockDecisions
    ? new StockHoldMonitor({
        db: storage.db,
        repository,
        expandScope,
        stockDecisions,
        release: (id, locationIds, reason, actor) =>
          commands.releaseStockHolds(id, locationIds, reason, actor),
        replenishment:
          overrides.replenishment ?? createErpReplenishmentAdapter((overrides.erp ?? ownErp)!),
        recordReplenishments: (id, changed, actor) =>
          commands.recordReplenishments(id, changed, actor),
        clock,
        intervalMs: overrides.stockHoldIntervalMs ?? 30_000,
      })
    : undefined;
  if (stockHolds) {
    // An approval may have accepted holds: their replenishments go out without waiting.
    const notify = repository.onEvents;
    repository.onEvents = (events) => {
      notify?.(events);
      if (events.some((e) => e.toState === PromotionState.APPROVED)) stockHolds.wake();
    };
  }
  // Subscribers read the bus, and the outbox wherever the bus has a gap (never a silent one).
  const app: PromotionApp = {
    repository,
    eventBus: new HistoryEventBus(eventBus, new OutboxHistory(storage.db)),
    commands,
    dispatcher,
    scheduler,
    activation,
    exceptions,
    exceptionQueries: new ExceptionQueries(storage.db),
    ...(stockHolds ? { stockHolds } : {}),
    productMaster,
    productFacts,
    expandScope,
    redemptions: new RedemptionLedger(storage.db),
    reconciliation: new ReconciliationLedger(storage.db),
    settlement: overrides.settlement ?? createErpSettlementAdapter((overrides.erp ?? ownErp)!),
    fundingNearCapPercent: config.fundingNearCapPercent,
    published,
    clock,
  };
  const erp = overrides.erp ?? ownErp;
  const server = createPromotionServer({
    app,
    principalSecrets: config.principalSecrets,
    metrics: {
      ...(config.metricsToken ? { token: config.metricsToken } : {}),
      ...(erp ? { backends: [erp] } : {}),
      ...(cache ? { caches: [cache] } : {}),
      collectors: promotionMetrics({ db: storage.db, exceptions }),
    },
  });
  let disposed: Promise<void> | undefined;
  return {
    app,
    storage,
    listen: server.listen,
    dispose() {
      disposed ??= (async () => {
        published.stop();
        await scheduler.stop();
        await activation.stop();
        await exceptions.stop();
        await stockHolds?.stop();
        await dispatcher.close();
        await storage.close();
        await closeBus();
        await ports.close();
        await ownErp?.close();
        await ownCache?.close();
      })();
      return disposed;
    },
  };
}
