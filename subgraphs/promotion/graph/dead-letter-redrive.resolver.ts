import { GraphQLError } from 'graphql';
import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { policy, requiresScopes } from '../../shared/access-control.ts';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import type { PromotionContext } from './context.ts';

/** Dead letters one call re-queues at most; `more` says when to call again. */
export const REDRIVE_BATCH = 500;

@ObjectType('RedrivenDelivery', { description: 'A dead letter queued again as a fresh delivery.' })
export class RedrivenDelivery {
  @Field(() => ID)
  promotionId!: string;

  @Field(() => SalesChannel)
  channel!: SalesChannel;
}

@ObjectType('RedriveFailure', { description: 'A dead letter that could not be queued again.' })
export class RedriveFailure {
  @Field(() => ID)
  promotionId!: string;

  @Field(() => SalesChannel)
  channel!: SalesChannel;

  @Field(() => String, { description: 'The error code the single retry would answer.' })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType('RedriveResult')
export class RedriveResult {
  @Field(() => Int, { description: 'How many dead letters were queued again.' })
  redrivenCount!: number;

  @Field(() => [RedrivenDelivery])
  redriven!: RedrivenDelivery[];

  @Field(() => [RedriveFailure], {
    description: 'Dead letters left as they were (e.g. the promotion ended or was cancelled).',
  })
  failed!: RedriveFailure[];

  @Field(() => Boolean, {
    description: `True when more than ${REDRIVE_BATCH} dead letters matched: call again for the rest.`,
  })
  more!: boolean;
}

/**
 * The bulk redrive for internal callers: every DEAD_LETTERED delivery matching the filters is
 * queued again as a fresh delivery (a new delivery id and a fresh retry schedule), each exactly
 * as `retryChannelDelivery` would, with its audit entry and event.
 */
@Resolver(() => RedriveResult)
export class DeadLetterRedriveResolver {
  @Directive(requiresScopes(['promotion:publish']))
  @Directive(policy(['internal-only']))
  @Mutation(() => RedriveResult, {
    description: `Re-queues dead-lettered channel deliveries, oldest first, at most ${REDRIVE_BATCH} per call. Without arguments: every dead letter.`,
  })
  async redriveDeadLetters(
    @Arg('channel', () => SalesChannel, {
      nullable: true,
      description: 'Only this channel.',
    })
    channel: SalesChannel | null,
    @Arg('promotionIds', () => [ID], { nullable: true, description: 'Only these promotions.' })
    promotionIds: string[] | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<RedriveResult> {
    const found = await ctx.app.dispatcher.deadLetters({
      channel,
      promotionIds,
      limit: REDRIVE_BATCH + 1,
    });
    const result: RedriveResult = { redrivenCount: 0, redriven: [], failed: [], more: false };
    result.more = found.length > REDRIVE_BATCH;
    for (const { promotionId, channel: c } of found.slice(0, REDRIVE_BATCH)) {
      try {
        await ctx.app.commands.retryDelivery(promotionId, c, ctx.actor);
        result.redriven.push({ promotionId, channel: c });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        const code = String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR');
        result.failed.push({ promotionId, channel: c, code, message: error.message });
      }
    }
    result.redrivenCount = result.redriven.length;
    return result;
  }
}
