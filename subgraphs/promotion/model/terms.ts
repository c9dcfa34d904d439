import type { PromotionTerms } from '../../shared/canonical/promotion-terms.type.ts';
import type { PromotionRecord } from './promotion.model.ts';

/**
 * The flat projection other subgraphs `@requires` (DOMAIN 7.1). `skus`: the SKUs the scope
 * covers when given (`Promotion.terms` and readiness expand categories, brands and nodes:
 * eligibility/scope-expansion.ts), else the explicit scope (`EligibleOffer.terms`, on the
 * storefront path, where a category's members would be sent with every offer).
 */
export function toTerms(p: PromotionRecord, scopeSkus?: readonly string[]): PromotionTerms {
  const { offer } = p;
  return {
    skus: [...(scopeSkus ?? p.scope.skus)],
    excludedSkus: [...p.scope.excludedSkus],
    locationIds: [...p.eligibility.locationIds],
    channels: [...p.eligibility.channels],
    startsAt: p.window.startsAt,
    endsAt: p.window.endsAt,
    timeZone: p.window.timeZone,
    offerKind: offer.kind,
    percentOff: offer.percentOff,
    amountOff: offer.amountOff,
    fixedPrice: offer.fixedPrice,
    buyQuantity: offer.buyXGetY?.buyQuantity ?? null,
    getQuantity: offer.buyXGetY?.getQuantity ?? null,
    getDiscountPercent: offer.buyXGetY?.getDiscountPercent ?? null,
    bundlePrice: offer.bundle?.bundlePrice ?? null,
    currency: p.currency,
    vendorId: p.vendorId,
    fundingAgreementId: p.fundingAgreementId,
    vendorSharePercent: p.vendorSharePercent,
    expectedUnitsBySku: p.expectedUnits.map((u) => ({ sku: u.sku, quantity: u.quantity })),
  };
}
