import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { evaluateSku, type EligibilityRequest, type SkuEvaluation } from './eligibility.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import type { PublishedSource } from './published-index.ts';

/** An EligibleOffer as resolvers see it (the promotion record rides along for its fields). */
export type EligibleOfferRoot = {
  promotionId: string;
  sku: string;
  locationId: string;
  channel: SalesChannel;
  applicationOrder: number;
  record: PromotionRecord;
};

/** Evaluates SKUs (duplicates allowed, answered in input order) with one index lookup. */
export async function evaluateSkus(
  repository: PublishedSource,
  skus: readonly string[],
  req: EligibilityRequest,
): Promise<SkuEvaluation[]> {
  const unique = [...new Set(skus)];
  const candidates = await repository.findPublishedBySkus(unique);
  const bySku = new Map(
    unique.map((sku) => [sku, evaluateSku(sku, candidates.get(sku) ?? [], req)]),
  );
  return skus.map((sku) => bySku.get(sku)!);
}

export function offerRoots(
  evaluation: SkuEvaluation,
  req: EligibilityRequest,
): EligibleOfferRoot[] {
  return evaluation.offers.map(({ promotion, applicationOrder }) => ({
    promotionId: promotion.id,
    sku: evaluation.sku,
    locationId: req.storeId,
    channel: req.channel,
    applicationOrder,
    record: promotion,
  }));
}
