import { Arg, Ctx, Directive, ID, Mutation, Resolver } from 'type-graphql';
import { policy, requiresScopes } from '../../shared/access-control.ts';
import type { MutationResult } from '../commands/command-core.ts';
import type { PromotionContext } from './context.ts';
import { PromotionMutationResult } from './promotion.type.ts';

@Resolver()
export class StockHoldResolver {
  @Directive(requiresScopes(['promotion:publish']))
  @Directive(policy(['internal-only']))
  @Mutation(() => PromotionMutationResult, {
    description:
      'Releases locations held for stock before inventory does (the stock-hold sweep releases them by itself once stock meets policies/stock-readiness.yaml): a new version, sent to the channels without them, audited with the reason.',
  })
  releaseStockHold(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('locationIds', () => [ID]) locationIds: string[],
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.releaseStockHolds(promotionId, locationIds, reason, ctx.actor);
  }
}
