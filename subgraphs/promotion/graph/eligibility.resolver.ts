import { confineEvaluation } from '../model/tenancy.ts';
import { Arg, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../../shared/access-control.ts';
import { OfferKind, SalesChannel } from '../../shared/canonical/enums.ts';
import { PromotionTerms } from '../../shared/canonical/promotion-terms.type.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import { badUserInput } from '../../shared/errors.ts';
import type { PromotionContext } from './context.ts';
import {
  evaluateSkus,
  offerRoots,
  type EligibleOfferRoot,
} from '../eligibility/eligibility-query.ts';
import { EligibleOffer, Product, SkuEligibility } from './eligibility.type.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import { Promotion } from './promotion.type.ts';
import { toTerms } from '../model/terms.ts';

export const MAX_ELIGIBILITY_SKUS = 200;

@Resolver(() => SkuEligibility)
export class EligibilityResolver {
  @Directive(requiresScopes(['promotion:read'], ['eligibility:read']))
  @Query(() => [SkuEligibility], {
    description:
      'One row per requested SKU, in input order (at most 200). Live = SCHEDULED/ACTIVE with `at` (default now) inside the window and intent LIVE in the channel. Scopes by category, brand or hierarchy node are matched through the product master (cached; `extensions.freshness` marks an answer read from stale master data).',
  })
  async eligiblePromotions(
    @Arg('channel', () => SalesChannel) channel: SalesChannel,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('skus', () => [String]) skus: string[],
    @Arg('customerSegment', () => String, { nullable: true }) customerSegment: string | null,
    @Arg('at', () => DateTimeScalar, { nullable: true }) at: string | null,
    @Ctx() ctx: PromotionContext,
  ) {
    if (skus.length > MAX_ELIGIBILITY_SKUS) {
      throw badUserInput(`skus must have at most ${MAX_ELIGIBILITY_SKUS} entries`, [
        { field: 'skus', message: `must have at most ${MAX_ELIGIBILITY_SKUS} SKUs` },
      ]);
    }
    const req = { channel, storeId, customerSegment, at: at ? new Date(at) : ctx.app.clock() };
    const evaluations = await evaluateSkus(
      ctx.app.published,
      ctx.app.productFacts,
      skus,
      req,
      ctx.freshness.readFor('products'),
    );
    return evaluations
      .map((all) => confineEvaluation(ctx.actor, all))
      .map((evaluation) => ({
        sku: evaluation.sku,
        product: { sku: evaluation.sku },
        offers: offerRoots(evaluation, req),
        notApplied: evaluation.notApplied,
      }));
  }
}

@Resolver(() => EligibleOffer)
export class EligibleOfferResolver {
  @FieldResolver(() => Promotion)
  promotion(@Root() offer: EligibleOfferRoot): PromotionRecord {
    return offer.record;
  }

  @FieldResolver(() => PromotionTerms)
  terms(@Root() offer: EligibleOfferRoot): PromotionTerms {
    return toTerms(offer.record);
  }

  @FieldResolver(() => [String], {
    description:
      "The SKUs that share this offer's bundle price (BUNDLE_PRICE: the promotion's qualifying " +
      'SKUs); empty for every other kind of offer.',
  })
  bundleSkus(@Root() offer: EligibleOfferRoot): string[] {
    // Pricing needs the bundle's SKUs only for a bundle: asking for `terms { skus }` instead sent
    // every offer's whole scope (hundreds of SKUs) through the gateway and back, per page.
    return offer.record.offer.kind === OfferKind.BUNDLE_PRICE ? [...offer.record.scope.skus] : [];
  }
}

@Resolver(() => Product)
export class ProductResolver {
  @Directive(requiresScopes(['promotion:read'], ['eligibility:read']))
  @FieldResolver(() => [Promotion], {
    description:
      'Promotions that apply to this SKU for a customer without segment, in application order.',
  })
  activePromotions(
    @Root() product: Product,
    @Arg('channel', () => SalesChannel) channel: SalesChannel,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('at', () => DateTimeScalar, { nullable: true }) at: string | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionRecord[]> {
    const instant = at ?? ctx.app.clock().toISOString();
    return ctx.activePromotions.load(JSON.stringify([channel, storeId, instant, product.sku]));
  }
}
