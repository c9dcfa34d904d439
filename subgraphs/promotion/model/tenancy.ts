import { forbidden, notFound } from '../../shared/errors.ts';
import { ActorKind } from './promotion-enums.ts';
import type { SkuEvaluation } from '../eligibility/eligibility.ts';
import type { ActorData, PromotionRecord } from './promotion.model.ts';

/**
 * Partner tenancy: a PARTNER actor (a partner token, forwarded and signed by the gateway) acts
 * only on its own vendor's promotions. Decision (README, "Partners"):
 * - another vendor's promotion addressed by id, in a query or a mutation, is NOT_FOUND, exactly
 *   like an id that does not exist, so a partner cannot probe which ids exist;
 * - naming another vendor explicitly (a draft for it, a list filtered by it) is FORBIDDEN: the
 *   caller already knows the vendor, nothing leaks;
 * - lists, eligibility and events show a partner its own vendor's promotions only.
 * Every other actor (internal, channel apps, anonymous) is not confined here; the gateway's
 * scopes decide what they may call.
 */
export function isConfined(actor: ActorData): actor is ActorData & { vendorId: string } {
  return actor.kind === ActorKind.PARTNER;
}

export function canSee(actor: ActorData, record: { vendorId: string | null }): boolean {
  return !isConfined(actor) || record.vendorId === actor.vendorId;
}

/** NOT_FOUND (as for a missing id) when the actor may not see the promotion. */
export function assertVisible(actor: ActorData, record: PromotionRecord): PromotionRecord {
  if (!canSee(actor, record)) throw notFound('Promotion', record.id);
  return record;
}

/**
 * The vendor a new draft or a list is for: a partner's own vendor when it names none, FORBIDDEN
 * when it names another one.
 */
export function vendorFor(actor: ActorData, requested: string | null | undefined): string | null {
  if (!isConfined(actor)) return requested ?? null;
  if (requested != null && requested !== actor.vendorId) {
    throw forbidden(
      `a partner token for vendor ${actor.vendorId} cannot act for vendor ${requested}`,
    );
  }
  return actor.vendorId;
}

/** Idempotency keys are per tenant: one partner's key never replays another's result. */
export function tenantScope(scope: string, actor: ActorData): string {
  return isConfined(actor) ? `${scope}:vendor:${actor.vendorId}` : scope;
}

/**
 * Eligibility for a partner: its own vendor's offers only (stacking was evaluated over every
 * offer, so the order and outcome of its own offers are what a shopper gets).
 */
export function confineEvaluation(actor: ActorData, evaluation: SkuEvaluation): SkuEvaluation {
  if (!isConfined(actor)) return evaluation;
  return {
    sku: evaluation.sku,
    offers: evaluation.offers.filter((o) => canSee(actor, o.promotion)),
    notApplied: evaluation.notApplied.filter((n) => canSee(actor, n)),
  };
}
