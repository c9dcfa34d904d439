import { Arg, Ctx, Directive, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import { requiresScopes } from '../../shared/access-control.ts';
import { badUserInput, notFound } from '../../shared/errors.ts';
import type { PromotionContext } from './context.ts';
import type { EventBus } from '../events/event-bus.ts';
import { PromotionEvent, PromotionEventFilter } from './promotion-event.type.ts';
import type { PromotionBusEvent, PromotionRecord } from '../model/promotion.model.ts';
import { CURSOR_DIGITS, isCursor } from '../storage/promotion.repository.ts';
import { Promotion } from './promotion.type.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import { canSee, isConfined, vendorFor } from '../model/tenancy.ts';
import type { ActorData } from '../model/promotion.model.ts';

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
  // Without `after`: from now (live events only); with it: every event after it, or CURSOR_EXPIRED.
  return bus.stream({
    after: after == null ? null : after.padStart(CURSOR_DIGITS, '0'),
    fromNow: after == null,
    filter: (event) => matchesEventFilter(event, filter),
  });
}

/**
 * Events of promotions the actor can see NOW (tenancy.ts). Decision (event replay after a vendor
 * change): an event is delivered to a partner only while the promotion is still its vendor's.
 * The event's own `vendorId` is the vendor at the time (so a partner never receives events of
 * another vendor's era), but `PromotionEvent.promotion` is the promotion as it is now, a
 * non-null field: once an internal user moved the promotion to vendor B, vendor A's partner
 * cannot be shown it (it reads as absent, like an unknown id) and its past events are no longer
 * delivered to A either, live or replayed; B receives only the events from the move on (their
 * `vendorId` is B). A promotion that is gone is treated the same way. Other actors are not
 * confined. One repository read per event, for partners only.
 */
export function visibleEvents(
  events: AsyncIterableIterator<PromotionBusEvent>,
  actor: ActorData,
  repository: Pick<PromotionRepository, 'get'>,
): AsyncIterableIterator<PromotionBusEvent> {
  if (!isConfined(actor)) return events;
  const iterator: AsyncIterableIterator<PromotionBusEvent> = {
    async next() {
      for (;;) {
        const result = await events.next();
        if (result.done) return result;
        const record = await repository.get(result.value.promotionId);
        if (record && canSee(actor, record)) return result;
      }
    },
    // Ends the underlying stream at once (a pending `next` does not delay it).
    return: (value?: unknown) =>
      events.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
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
      return visibleEvents(
        subscribeToEvents(app.eventBus, filter, args.after as string),
        actor,
        app.repository,
      );
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
    // The same tenancy rule as `promotion(id:)`: another vendor's promotion does not exist for a
    // partner (visibleEvents already skips such events; this holds if it moved in between).
    const record = await ctx.app.repository.get(event.promotionId);
    if (!record || !canSee(ctx.actor, record)) throw notFound('Promotion', event.promotionId);
    return record;
  }
}
