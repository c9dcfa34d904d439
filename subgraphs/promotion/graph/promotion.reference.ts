import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { PromotionContext } from './context.ts';
import { evaluateSkus, type EligibleOfferRoot } from '../eligibility/eligibility-query.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';

type OfferKey = { promotionId: string; sku: string; locationId: string; channel: SalesChannel };

/**
 * Entity references. An EligibleOffer resolves while its promotion exists and the SKU is in its
 * explicit scope; `applicationOrder` is its position at resolution time (0 when it does not apply
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
      if (!record || !record.scope.skus.includes(ref.sku)) return null;
      const [evaluation] = await evaluateSkus(ctx.app.repository, [ref.sku], {
        channel: ref.channel,
        storeId: ref.locationId,
        at: ctx.app.clock(),
      });
      const applied = evaluation?.offers.find((o) => o.promotion.id === record.id);
      return { ...ref, applicationOrder: applied?.applicationOrder ?? 0, record };
    },
  },
  Product: {
    __resolveReference: (ref: { sku: string }) => ({ sku: ref.sku }),
  },
};
