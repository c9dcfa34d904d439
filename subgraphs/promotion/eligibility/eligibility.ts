import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { isHeldAt } from '../readiness/stock-holds.ts';
import { liveInAnyChannel, liveInChannel } from '../activation/activation-rules.ts';
import {
  DiscountClass,
  IneligibilityReason as R,
  PromotionState,
  StackingMode,
} from '../model/promotion-enums.ts';
import type { PromotionRecord, WindowData } from '../model/promotion.model.ts';
import { matchScope, type ProductFacts } from '../model/scope-terms.ts';
import type { PromotionListFilter } from '../storage/promotion.repository.ts';

/**
 * Pure eligibility and liveness rules. Everything is computed from the stored window (never
 * from a scheduler-maintained flag), so a late scheduler never shows a stale ACTIVE.
 *
 * Scope: explicit SKUs, and categories, brands and hierarchy nodes through the SKU's product facts
 * (model/scope-terms.ts); exclusions win. Windows are evaluated as absolute instants (LOCAL_TO_LOCATION
 * needs store time zones, which the Location entity will bring).
 */

export const PUBLISHED_STATES: readonly PromotionState[] = [
  PromotionState.SCHEDULED,
  PromotionState.ACTIVE,
  PromotionState.SUSPENDED,
];

const CLASS_ORDER: Record<DiscountClass, number> = {
  [DiscountClass.PRODUCT]: 0,
  [DiscountClass.ORDER]: 1,
  [DiscountClass.SHIPPING]: 2,
};

export function windowContains(window: WindowData, at: Date): boolean {
  const t = at.getTime();
  return Date.parse(window.startsAt) <= t && t < Date.parse(window.endsAt);
}

/**
 * Live at `at` (and `locationId`): published, not suspended, in its window, and live in a
 * channel by its activation mode (activation/activation-rules.ts).
 */
export function isLiveAt(p: PromotionRecord, at: Date, locationId?: string | null): boolean {
  if (p.state !== PromotionState.SCHEDULED && p.state !== PromotionState.ACTIVE) return false;
  if (!windowContains(p.window, at)) return false;
  const locations = p.eligibility.locationIds;
  if (locationId && locations.length > 0 && !locations.includes(locationId)) return false;
  if (locationId && isHeldAt(p, locationId)) return false;
  return liveInAnyChannel(p);
}

export type EligibilityRequest = {
  channel: SalesChannel;
  storeId: string;
  customerSegment?: string | null;
  at: Date;
};

/**
 * Why `p` does not apply to `sku` for this request, before stacking; null when it applies.
 * `facts` (the SKU's category, brand and hierarchy nodes) decides scopes beyond explicit SKUs.
 */
export function ineligibility(
  p: PromotionRecord,
  sku: string,
  req: EligibilityRequest,
  facts: ProductFacts | null = null,
): R | null {
  const inScope = matchScope(p.scope, sku, facts);
  if (inScope === 'EXCLUDED') return R.SKU_EXCLUDED;
  if (inScope === 'OUT') return R.SKU_NOT_IN_SCOPE;
  if (p.state !== PromotionState.SCHEDULED && p.state !== PromotionState.ACTIVE) {
    return R.PROMOTION_NOT_LIVE;
  }
  if (!p.eligibility.channels.includes(req.channel)) return R.CHANNEL_NOT_ELIGIBLE;
  if (!liveInChannel(p, req.channel)) return R.PROMOTION_NOT_LIVE;
  if (!windowContains(p.window, req.at)) return R.NOT_IN_WINDOW;
  const locations = p.eligibility.locationIds;
  if (locations.length > 0 && !locations.includes(req.storeId)) return R.LOCATION_NOT_ELIGIBLE;
  if (isHeldAt(p, req.storeId)) return R.HELD_FOR_STOCK;
  const segments = p.eligibility.customerSegments;
  if (segments.length > 0 && !(req.customerSegment && segments.includes(req.customerSegment))) {
    return R.SEGMENT_NOT_ELIGIBLE;
  }
  if (p.eligibility.requiresCode) return R.CODE_REQUIRED;
  return null;
}

export type AppliedOffer = { promotion: PromotionRecord; applicationOrder: number };
export type SkuEvaluation = {
  sku: string;
  offers: AppliedOffer[];
  /** `vendorId` is internal (tenancy.ts confines partners), not part of the GraphQL type. */
  notApplied: { promotionId: string; vendorId: string | null; reason: R }[];
};

const byApplication = (a: PromotionRecord, b: PromotionRecord): number =>
  CLASS_ORDER[a.stacking.discountClass] - CLASS_ORDER[b.stacking.discountClass] ||
  a.stacking.priority - b.stacking.priority ||
  a.seq - b.seq;

const byPriority = (a: PromotionRecord, b: PromotionRecord): number =>
  a.stacking.priority - b.stacking.priority || byApplication(a, b);

/**
 * Stacking: offers apply by discount class (PRODUCT, ORDER, SHIPPING), then priority (lower
 * first). An EXCLUSIVE_GLOBAL offer, the one with the lowest priority number, applies alone; else
 * in each class with an EXCLUSIVE_IN_CLASS offer, the best such offer is the only one of its
 * class. Everything else that was eligible is SUPERSEDED_BY_EXCLUSIVE.
 */
export function stack(eligible: readonly PromotionRecord[]): {
  applied: PromotionRecord[];
  superseded: PromotionRecord[];
} {
  const sorted = [...eligible].sort(byApplication);
  const global = sorted
    .filter((p) => p.stacking.mode === StackingMode.EXCLUSIVE_GLOBAL)
    .sort(byPriority)[0];
  let applied: PromotionRecord[];
  if (global) {
    applied = [global];
  } else {
    const classWinner = new Map<DiscountClass, PromotionRecord>();
    for (const p of [...sorted].sort(byPriority)) {
      if (
        p.stacking.mode === StackingMode.EXCLUSIVE_IN_CLASS &&
        !classWinner.has(p.stacking.discountClass)
      ) {
        classWinner.set(p.stacking.discountClass, p);
      }
    }
    applied = sorted.filter((p) => {
      const winner = classWinner.get(p.stacking.discountClass);
      return !winner || winner === p;
    });
  }
  const keep = new Set(applied);
  return { applied, superseded: sorted.filter((p) => !keep.has(p)) };
}

/** One SKU: which candidate promotions apply, in application order, and why the others do not. */
export function evaluateSku(
  sku: string,
  candidates: readonly PromotionRecord[],
  req: EligibilityRequest,
  facts: ProductFacts | null = null,
): SkuEvaluation {
  const ordered = [...candidates].sort((a, b) => a.seq - b.seq);
  const reasons = new Map<PromotionRecord, R>();
  const eligible: PromotionRecord[] = [];
  for (const p of ordered) {
    const reason = ineligibility(p, sku, req, facts);
    if (reason) reasons.set(p, reason);
    else eligible.push(p);
  }
  const { applied, superseded } = stack(eligible);
  for (const p of superseded) reasons.set(p, R.SUPERSEDED_BY_EXCLUSIVE);
  return {
    sku,
    offers: applied.map((promotion, i) => ({ promotion, applicationOrder: i + 1 })),
    notApplied: ordered
      .filter((p) => reasons.has(p))
      .map((p) => ({ promotionId: p.id, vendorId: p.vendorId, reason: reasons.get(p)! })),
  };
}

/** The `promotions(filter:)` criteria, all of which must hold. */
export function matchesFilter(p: PromotionRecord, f: PromotionListFilter): boolean {
  if (f.states?.length && !f.states.includes(p.state)) return false;
  if (f.channels?.length && !f.channels.some((c) => p.eligibility.channels.includes(c)))
    return false;
  if (f.vendorId && p.vendorId !== f.vendorId) return false;
  if (f.sku && !p.scope.skus.includes(f.sku)) return false;
  if (f.liveAt && !isLiveAt(p, new Date(f.liveAt))) return false;
  if (
    f.category &&
    !p.scope.categoryIds.includes(f.category.id) &&
    !p.scope.skus.some((s) => f.category!.skus.includes(s))
  )
    return false;
  if (f.region) {
    const { regionIds, locationIds } = p.eligibility;
    const everywhere = regionIds.length === 0 && locationIds.length === 0;
    if (
      !everywhere &&
      !regionIds.includes(f.region.id) &&
      !locationIds.some((l) => f.region!.locationIds.includes(l))
    )
      return false;
  }
  if (f.text) {
    const needle = f.text.toLowerCase();
    const haystack = [p.name, p.description ?? '', p.customerDisplayName ?? '']
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}
