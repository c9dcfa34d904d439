import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { evaluateSku, type EligibilityRequest, type SkuEvaluation } from './eligibility.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import type { PublishedSource } from './published-index.ts';
import type { ReadOptions } from '../../shared/cache/read-options.ts';
import { termsOfProduct, type ProductFacts } from '../model/scope-terms.ts';
import type { ProductFactsReader } from './cached-product-facts.ts';

/** An EligibleOffer as resolvers see it (the promotion record rides along for its fields). */
export type EligibleOfferRoot = {
  promotionId: string;
  sku: string;
  locationId: string;
  channel: SalesChannel;
  applicationOrder: number;
  record: PromotionRecord;
};

/** A SKU's product facts (null: not read or unknown) and the published promotions naming it. */
export type SkuCandidates = { facts: ProductFacts | null; candidates: PromotionRecord[] };

/**
 * The published promotions that may cover each SKU: those naming it, and, when some published
 * scope names a category, brand or hierarchy node, those including a term of its product facts
 * (one batched read of the cached product master for all the SKUs, so ERP calls are bounded by
 * the request, not by SKUs times promotions). Eligibility and the stacking check share it.
 */
export async function publishedCandidates(
  source: PublishedSource,
  facts: ProductFactsReader,
  skus: readonly string[],
  read?: ReadOptions,
): Promise<Map<string, SkuCandidates>> {
  const unique = [...new Set(skus)];
  const [bySku, termScoped] = await Promise.all([
    source.findPublishedBySkus(unique),
    source.hasPublishedTermScopes(),
  ]);
  const factsBySku = new Map<string, ProductFacts | null>();
  let byTerm = new Map<string, PromotionRecord[]>();
  if (termScoped && unique.length) {
    const found = await facts(unique, read);
    unique.forEach((sku, i) => factsBySku.set(sku, found[i] ?? null));
    const terms = [...new Set(found.flatMap((f) => termsOfProduct(f)))];
    if (terms.length) byTerm = await source.findPublishedByTerms(terms);
  }
  return new Map(
    unique.map((sku) => {
      const productFacts = factsBySku.get(sku) ?? null;
      const candidates = new Set(bySku.get(sku) ?? []);
      for (const term of termsOfProduct(productFacts)) {
        for (const p of byTerm.get(term) ?? []) candidates.add(p);
      }
      return [sku, { facts: productFacts, candidates: [...candidates] }];
    }),
  );
}

/** Evaluates SKUs (duplicates allowed, answered in input order) over their candidates. */
export async function evaluateSkus(
  source: PublishedSource,
  facts: ProductFactsReader,
  skus: readonly string[],
  req: EligibilityRequest,
  read?: ReadOptions,
): Promise<SkuEvaluation[]> {
  const found = await publishedCandidates(source, facts, skus, read);
  const evaluated = new Map(
    [...found].map(([sku, c]) => [sku, evaluateSku(sku, c.candidates, req, c.facts)]),
  );
  return skus.map((sku) => evaluated.get(sku)!);
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
