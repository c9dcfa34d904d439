import { Arg, Ctx, Directive, ID, Int, Mutation, Resolver } from 'type-graphql';
import { policy, requiresScopes } from '../../shared/access-control.ts';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import type { MutationResult } from '../commands/command-core.ts';
import type { PromotionContext } from './context.ts';
import {
  ApprovalOverrideInput,
  CreatePromotionDraftInput,
  SuspensionInput,
  UpdatePromotionDraftInput,
} from './promotion-input.type.ts';
import { PromotionMutationResult } from './promotion.type.ts';

/** Thin: every mutation is a command (draft-commands.ts, publication-commands.ts). */
@Resolver(() => PromotionMutationResult)
export class PromotionMutationResolver {
  @Directive(requiresScopes(['promotion:write']))
  @Mutation(() => PromotionMutationResult)
  createPromotionDraft(
    @Arg('input', () => CreatePromotionDraftInput) input: CreatePromotionDraftInput,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.create(input, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:write']))
  @Mutation(() => PromotionMutationResult)
  updatePromotionDraft(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => UpdatePromotionDraftInput) input: UpdatePromotionDraftInput,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.update(id, expectedVersion, input, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:write']))
  @Mutation(() => PromotionMutationResult)
  submitPromotion(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.submit(id, expectedVersion, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:write']))
  @Mutation(() => PromotionMutationResult)
  withdrawPromotion(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.withdraw(id, expectedVersion, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:approve']))
  @Directive(policy(['internal-only']))
  @Mutation(() => PromotionMutationResult)
  approvePromotion(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('override', () => ApprovalOverrideInput, { nullable: true })
    override: ApprovalOverrideInput | null,
    @Arg('acceptStockHolds', () => Boolean, {
      defaultValue: false,
      description:
        'Go ahead where stock meets policies/stock-readiness.yaml and hold the other locations (stockHolds) until stock arrives, when the INVENTORY check allows it (holdsAcceptable).',
    })
    acceptStockHolds: boolean,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.approve(
      id,
      expectedVersion,
      override,
      ctx.actor,
      ctx.mayOverrideReadiness,
      acceptStockHolds,
    );
  }

  @Directive(requiresScopes(['promotion:approve']))
  @Directive(policy(['internal-only']))
  @Mutation(() => PromotionMutationResult)
  rejectPromotion(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.reject(id, expectedVersion, reason, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:publish']))
  @Mutation(() => PromotionMutationResult, {
    description: 'Returns once the publications are recorded (PENDING); delivery is asynchronous.',
  })
  publishToChannels(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('channels', () => [SalesChannel]) channels: SalesChannel[],
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.publish(
      promotionId,
      channels,
      expectedVersion,
      idempotencyKey,
      ctx.actor,
    );
  }

  @Directive(requiresScopes(['promotion:suspend']))
  @Mutation(() => PromotionMutationResult, { description: 'Without channels: every live channel.' })
  suspendPromotion(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('reason', () => SuspensionInput) reason: SuspensionInput,
    @Arg('channels', () => [SalesChannel], { nullable: true }) channels: SalesChannel[] | null,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.suspend(promotionId, reason, channels, idempotencyKey, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:suspend']))
  @Mutation(() => PromotionMutationResult, {
    description: 'Without channels: every suspended channel.',
  })
  resumePromotion(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('channels', () => [SalesChannel], { nullable: true }) channels: SalesChannel[] | null,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.resume(promotionId, channels, idempotencyKey, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:suspend']))
  @Mutation(() => PromotionMutationResult, {
    description: 'Ends now (default), or at a future `at` before the window end.',
  })
  endPromotion(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('at', () => DateTimeScalar, { nullable: true }) at: string | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.end(promotionId, reason, at, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:write']))
  @Mutation(() => PromotionMutationResult)
  cancelPromotion(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.cancel(promotionId, reason, ctx.actor);
  }

  @Directive(requiresScopes(['promotion:publish']))
  @Mutation(() => PromotionMutationResult)
  retryChannelDelivery(
    @Arg('promotionId', () => ID) promotionId: string,
    @Arg('channel', () => SalesChannel) channel: SalesChannel,
    @Ctx() ctx: PromotionContext,
  ): Promise<MutationResult> {
    return ctx.app.commands.retryDelivery(promotionId, channel, ctx.actor);
  }
}
