import { Arg, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../../shared/access-control.ts';
import type { PromotionContext } from './context.ts';
import { checkPageSize, decodeCursor, encodeCursor } from './cursor.ts';
import { Promotion } from './promotion.type.ts';
import { PromotionEvent } from './promotion-event.type.ts';
import {
  PromotionException,
  PromotionExceptionConnection,
  PromotionExceptionFilter,
} from './promotion-exception.type.ts';
import type { PromotionExceptionRecord } from '../exceptions/exception-store.ts';
import type { PromotionBusEvent, PromotionRecord } from '../model/promotion.model.ts';
import { canSee, isConfined, vendorFor } from '../model/tenancy.ts';

@Resolver(() => PromotionException)
export class PromotionExceptionResolver {
  @Directive(requiresScopes(['promotion:read']))
  @Query(() => PromotionExceptionConnection, {
    description:
      'Exceptions in the order they were raised (oldest first); open ones unless the filter says otherwise. A partner sees its own vendor only.',
  })
  async promotionExceptions(
    @Arg('filter', () => PromotionExceptionFilter, { nullable: true })
    filter: PromotionExceptionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PromotionContext,
  ) {
    checkPageSize(first);
    const afterSeq = after ? decodeCursor('x', after) : undefined;
    const vendorId = vendorFor(ctx.actor, filter?.vendorId);
    const page = await ctx.app.exceptionQueries.list({ ...filter, vendorId }, first, afterSeq);
    const edges = page.items.map((node) => ({ cursor: encodeCursor('x', node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @FieldResolver(() => Promotion, {
    nullable: true,
    description: 'The promotion as it is now (null when the caller may not see it).',
  })
  async promotion(
    @Root() exception: PromotionExceptionRecord,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionRecord | null> {
    const record = await ctx.promotionById.load(exception.promotionId);
    return record && canSee(ctx.actor, record) ? record : null;
  }
}

@Resolver(() => PromotionEvent)
export class PromotionEventExceptionResolver {
  @FieldResolver(() => PromotionException, {
    nullable: true,
    description: 'EXCEPTION_RAISED / EXCEPTION_RESOLVED: the exception as it is now.',
  })
  async exception(
    @Root() event: PromotionBusEvent,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionExceptionRecord | null> {
    if (!event.exceptionId) return null;
    const exception = await ctx.app.exceptionQueries.get(event.exceptionId);
    if (!exception) return null;
    return isConfined(ctx.actor) && exception.vendorId !== ctx.actor.vendorId ? null : exception;
  }
}
