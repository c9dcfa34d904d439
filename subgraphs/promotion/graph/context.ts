import type { StockHoldMonitor } from '../readiness/stock-hold-monitor.ts';
import type { PublishedSource } from '../eligibility/published-index.ts';
import type { ProductMaster } from '../commands/promotion-validation.ts';
import DataLoader from 'dataloader';
import { RequestFreshness } from '../../shared/cache/request-freshness.ts';
import type { ReadOptions } from '../../shared/cache/read-options.ts';
import type { ProductFactsReader } from '../eligibility/cached-product-facts.ts';
import type { ScopeExpansion } from '../eligibility/scope-expansion.ts';
import type { RedemptionLedger } from '../redemptions/redemption-ledger.ts';
import type { ReconciliationLedger } from '../reconciliation/reconciliation-ledger.ts';
import type { SettlementPort } from '../reconciliation/settlement-port.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { ForwardedPrincipal } from '../../shared/forwarded-principal.ts';
import { OVERRIDE_SCOPE } from '../commands/draft-commands.ts';
import { evaluateSkus } from '../eligibility/eligibility-query.ts';
import type { PromotionCommands } from '../commands/promotion-commands.ts';
import type { ChannelDeliveryDispatcher } from '../delivery/durable-dispatcher.ts';
import type { EventBus } from '../events/event-bus.ts';
import { ActorKind } from '../model/promotion-enums.ts';
import type { ActorData, PromotionRecord } from '../model/promotion.model.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import type { PromotionScheduler } from '../commands/scheduler.ts';
import type { ActivationMonitor } from '../activation/activation-monitor.ts';
import type { ExceptionMonitor } from '../exceptions/exception-monitor.ts';
import type { ExceptionQueries } from '../exceptions/exception-queries.ts';
import { canSee, confineEvaluation } from '../model/tenancy.ts';

/** The long-lived parts of the subgraph, shared by every request. */
export type PromotionApp = {
  repository: PromotionRepository;
  eventBus: EventBus;
  commands: PromotionCommands;
  dispatcher: ChannelDeliveryDispatcher;
  scheduler: PromotionScheduler;
  /** Keeps ALL_OR_NONE promotions live everywhere or nowhere (activation/). */
  activation: ActivationMonitor;
  /** Raises and resolves promotion exceptions (exceptions/). */
  exceptions: ExceptionMonitor;
  exceptionQueries: ExceptionQueries;
  /** Releases stock holds once inventory decides GO (absent when the gate cannot tell). */
  stockHolds?: StockHoldMonitor;
  /** The published promotions eligibility reads, from memory (eligibility/published-index.ts). */
  published: PublishedSource;
  /** The ERP's product master and plants (category and region filters read it). */
  productMaster: ProductMaster;
  /** Each SKU's category, brand and hierarchy nodes, through the cache (eligibility reads it). */
  productFacts: ProductFactsReader;
  /** The SKUs a scope covers (`Promotion.terms`, readiness). */
  expandScope: ScopeExpansion;
  /** The sales lines channels reported (recordRedemptions, Promotion.performance). */
  redemptions: RedemptionLedger;
  /** Accruals, claims and the last ERP reading of vendor-funded promotions (reconciliation/). */
  reconciliation: ReconciliationLedger;
  /** Posts accruals and claims to the vendor's condition contract and reads them back. */
  settlement: SettlementPort;
  /** Cap consumption (percent) from which an agreement is NEAR_CAP (config). */
  fundingNearCapPercent: number;
  clock: () => Date;
};

export type PromotionContext = {
  app: PromotionApp;
  actor: ActorData;
  /** This request's cached reads: `Cache-Control: no-cache`, and what was served stale. */
  freshness: RequestFreshness;
  /** The caller holds `promotion:approve:override` (draft-commands.ts OVERRIDE_SCOPE). */
  mayOverrideReadiness: boolean;
  promotionById: DataLoader<string, PromotionRecord | undefined>;
  /** Key: JSON `[channel, storeId, at, sku]`; SKUs sharing the first three are evaluated together. */
  activePromotions: DataLoader<string, PromotionRecord[]>;
};

/**
 * Who is calling, from the gateway-signed principal (subgraphs/shared/forwarded-principal.ts):
 * a partner token becomes a PARTNER confined to its vendor (tenancy.ts); every other caller is
 * a USER. The audit trail records this actor.
 */
export function actorFromPrincipal(principal: ForwardedPrincipal): ActorData {
  if (principal.tokenClass === 'partner') {
    return { subject: principal.subject, kind: ActorKind.PARTNER, vendorId: principal.vendorId! };
  }
  return { subject: principal.subject, kind: ActorKind.USER, vendorId: null };
}

/** Per-request context: the actor and fresh DataLoaders. */
export function createPromotionContext(
  app: PromotionApp,
  principal: ForwardedPrincipal,
  freshness: RequestFreshness = new RequestFreshness(false),
): PromotionContext {
  const actor = actorFromPrincipal(principal);
  return {
    app,
    actor,
    freshness,
    mayOverrideReadiness: principal.scopes.includes(OVERRIDE_SCOPE),
    // A partner never sees another vendor's promotion: for it, such an id does not exist.
    promotionById: new DataLoader(async (ids) =>
      (await app.repository.getMany(ids)).map((r) => (r && canSee(actor, r) ? r : undefined)),
    ),
    activePromotions: new DataLoader((keys) =>
      activePromotionsBatch(app, actor, keys, freshness.readFor('products')),
    ),
  };
}

async function activePromotionsBatch(
  app: PromotionApp,
  actor: ActorData,
  keys: readonly string[],
  read: ReadOptions,
): Promise<PromotionRecord[][]> {
  const groups = new Map<
    string,
    { channel: SalesChannel; storeId: string; at: string; skus: string[] }
  >();
  for (const key of keys) {
    const [channel, storeId, at, sku] = JSON.parse(key) as [SalesChannel, string, string, string];
    const group = JSON.stringify([channel, storeId, at]);
    if (!groups.has(group)) groups.set(group, { channel, storeId, at, skus: [] });
    groups.get(group)!.skus.push(sku);
  }
  const results = new Map<string, PromotionRecord[]>();
  for (const { channel, storeId, at, skus } of groups.values()) {
    const evaluations = await evaluateSkus(
      app.published,
      app.productFacts,
      skus,
      { channel, storeId, at: new Date(at) },
      read,
    );
    evaluations
      .map((all) => confineEvaluation(actor, all))
      .forEach((e) => {
        results.set(
          JSON.stringify([channel, storeId, at, e.sku]),
          e.offers.map((o) => o.promotion),
        );
      });
  }
  return keys.map((key) => results.get(key) ?? []);
}
