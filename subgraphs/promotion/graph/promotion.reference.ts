import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { PromotionContext } from './context.ts';
import { evaluateSkus, type EligibleOfferRoot } from '../eligibility/eligibility-query.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import { hasTermScope, matchScope } from '../model/scope-terms.ts';

type OfferKey = { promotionId: string; sku: string; locationId: string; channel: SalesChannel };

/**
 * Entity references. An EligibleOffer resolves while its promotion exists and the SKU is in its
 * scope (explicitly, or by category, brand or hierarchy node); `applicationOrder` is its position at resolution time (0 when it does not apply
 * now).
 */
export const promotionReferenceResolvers = {
  Promotion: {
    __resolveReference: async (
      ref: { id: string },
      ctx: PromotionContext,
    ): Promise<PromotionRecord | null> => (await ctx.promotionById.load(ref.id)) ?? null,
  },
  EligibleOffer: {
    __resolveReference: async (
      ref: OfferKey,
      ctx: PromotionContext,
    ): Promise<EligibleOfferRoot | null> => {
      const record = await ctx.promotionById.load(ref.promotionId);
      if (!record) return null;
      const read = ctx.freshness.readFor('products');
      const [facts] = hasTermScope(record.scope)
        ? await ctx.app.productFacts([ref.sku], read)
        : [null];
      if (matchScope(record.scope, ref.sku, facts) !== 'IN') return null;
      const [evaluation] = await evaluateSkus(
        ctx.app.repository,
        ctx.app.productFacts,
        [ref.sku],
        { channel: ref.channel, storeId: ref.locationId, at: ctx.app.clock() },
        read,
      );
      const applied = evaluation?.offers.find((o) => o.promotion.id === record.id);
      return { ...ref, applicationOrder: applied?.applicationOrder ?? 0, record };
    },
  },
  Product: {
    __resolveReference: (ref: { sku: string }) => ({ sku: ref.sku }),
  },
};
