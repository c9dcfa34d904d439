import { Arg, Ctx, Directive, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { badUserInput, notFound } from '../shared/errors.ts';
import type { PromotionContext } from './context.ts';
import type { EventBus } from './event-bus.ts';
import { PromotionEvent, PromotionEventFilter } from './promotion-event.type.ts';
import type { PromotionBusEvent, PromotionRecord } from './promotion.model.ts';
import { CURSOR_DIGITS, isCursor } from './promotion.repository.ts';
import { Promotion } from './promotion.type.ts';
import { vendorFor } from './tenancy.ts';

type RawFilter = {
  promotionIds?: string[] | null;
  states?: string[] | null;
  channels?: string[] | null;
  vendorId?: string | null;
  kinds?: string[] | null;
};

/** Every given criterion must match; `channels` matches the event's channel, else the promotion's. */
export function matchesEventFilter(
  event: PromotionBusEvent,
  filter: RawFilter | null | undefined,
): boolean {
  if (!filter) return true;
  if (filter.promotionIds?.length && !filter.promotionIds.includes(event.promotionId)) return false;
  if (filter.states?.length && !filter.states.includes(event.promotionState)) return false;
  if (filter.kinds?.length && !filter.kinds.includes(event.kind)) return false;
  if (filter.vendorId && event.vendorId !== filter.vendorId) return false;
  if (filter.channels?.length) {
    const channels: string[] = event.channel ? [event.channel] : event.channels;
    if (!channels.some((c) => filter.channels!.includes(c))) return false;
  }
  return true;
}

export function subscribeToEvents(
  bus: EventBus,
  filter: RawFilter | null | undefined,
  after: string | null | undefined,
): AsyncIterableIterator<PromotionBusEvent> {
  if (after != null && !isCursor(after)) {
    throw badUserInput('after is not a valid event cursor', [
      { field: 'after', message: 'is not a valid event cursor' },
    ]);
  }
  return bus.stream({
    after: after == null ? null : after.padStart(CURSOR_DIGITS, '0'),
    filter: (event) => matchesEventFilter(event, filter),
  });
}

@Resolver(() => PromotionEvent)
export class PromotionSubscriptionResolver {
  @Directive(requiresScopes(['events:subscribe']))
  @Subscription(() => PromotionEvent, {
    description:
      'Promotion changes in cursor order. `after` replays every retained event with a greater cursor, then continues live, without duplicates.',
    subscribe: ({ args, context }) => {
      const { app, actor } = context as PromotionContext;
      // A partner receives its own vendor's events only (FORBIDDEN when it asks for another's).
      const filter = {
        ...(args.filter as RawFilter),
        vendorId: vendorFor(actor, args.filter?.vendorId),
      };
      return subscribeToEvents(app.eventBus, filter, args.after as string);
    },
  })
  promotionStateChanged(
    @Root() event: PromotionBusEvent,
    @Arg('filter', () => PromotionEventFilter, { nullable: true })
    _filter: PromotionEventFilter | null,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
  ): PromotionBusEvent {
    return event;
  }

  @FieldResolver(() => Promotion, { description: 'The promotion as it is now.' })
  async promotion(
    @Root() event: PromotionBusEvent,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionRecord> {
    // Not the per-context DataLoader: a subscription's context lives as long as the subscription.
    const record = await ctx.app.repository.get(event.promotionId);
    if (!record) throw notFound('Promotion', event.promotionId);
    return record;
  }
}
