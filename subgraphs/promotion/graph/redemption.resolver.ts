import { Arg, Ctx, Directive, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { policy, requiresScopes } from '../../shared/access-control.ts';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import {
  toPerformance,
  vendorShareOf,
  type PromotionPerformanceValue,
} from '../redemptions/promotion-performance.ts';
import { recordRedemptions, type RecordedFeed } from '../redemptions/record-redemptions.ts';
import type { PromotionContext } from './context.ts';
import { PromotionPerformance } from './performance.type.ts';
import { Promotion } from './promotion.type.ts';
import { RecordRedemptionsResult, RedemptionLineInput } from './redemption.type.ts';

@Resolver(() => Promotion)
export class RedemptionResolver {
  @Directive(requiresScopes(['redemptions:write']))
  @Directive(policy(['sales-feed']))
  @Mutation(() => RecordRedemptionsResult, {
    description:
      "A channel's sales feed (1 to 1000 lines): each line is checked against its promotion and stored once per channel, transaction and line number; a replay changes nothing, a conflicting replay is rejected. A channel-app token reports its own channel only.",
  })
  recordRedemptions(
    @Arg('channel', () => SalesChannel) channel: SalesChannel,
    @Arg('lines', () => [RedemptionLineInput]) lines: RedemptionLineInput[],
    @Ctx() ctx: PromotionContext,
  ): Promise<RecordedFeed> {
    const { app } = ctx;
    return recordRedemptions(
      {
        ledger: app.redemptions,
        repository: app.repository,
        productFacts: app.productFacts,
        productMaster: app.productMaster,
        clock: app.clock,
      },
      channel,
      lines.map((line) => ({
        transactionId: line.transactionId,
        lineNumber: line.lineNumber,
        promotionId: line.promotionId,
        sku: line.sku,
        locationId: line.locationId,
        quantity: line.quantity,
        discount: line.discount.amount,
        currency: line.discount.currency,
        soldAt: line.soldAt,
      })),
      ctx.actor,
    );
  }

  @Directive(requiresScopes(['promotion:read']))
  @FieldResolver(() => PromotionPerformance, {
    description:
      'Units and discount the channels reported (recordRedemptions), by channel, location and day; the vendor-funded part at the promotion vendor share.',
  })
  async performance(
    @Root() promotion: PromotionRecord,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionPerformanceValue> {
    const breakdown = await ctx.app.redemptions.breakdown(
      promotion.id,
      promotion.window.timeZone,
      vendorShareOf(promotion),
    );
    return toPerformance(promotion, breakdown);
  }
}
