import type { PromotionTerms } from '../../shared/canonical/promotion-terms.type.ts';
import type { PromotionRecord } from './promotion.model.ts';

/**
 * The flat projection other subgraphs `@requires` (DOMAIN 7.1). `skus` are the explicit scope
 * only: categories are not expanded in this version.
 */
export function toTerms(p: PromotionRecord): PromotionTerms {
  const { offer } = p;
  return {
    skus: [...p.scope.skus],
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
