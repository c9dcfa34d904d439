import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import { Actor } from './audit.type.ts';
import {
  ChannelIntent,
  DeliveryStatus,
  PromotionEventKind,
  PromotionState,
} from '../model/promotion-enums.ts';

/** One change of a promotion, as delivered by `promotionStateChanged` (resumable by cursor). */
@ObjectType('PromotionEvent')
export class PromotionEvent {
  @Field(() => String, { description: 'Monotonic; pass it as `after` to resume.' })
  cursor!: string;

  @Field(() => PromotionEventKind)
  kind!: PromotionEventKind;

  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field(() => Int, { description: 'Promotion version the event belongs to.' })
  promotionVersion!: number;

  @Field(() => PromotionState, { nullable: true })
  fromState?: PromotionState | null;

  @Field(() => PromotionState, { nullable: true })
  toState?: PromotionState | null;

  @Field(() => SalesChannel, { nullable: true })
  channel?: SalesChannel | null;

  @Field(() => ChannelIntent, { nullable: true, description: 'The intent being delivered.' })
  channelIntent?: ChannelIntent | null;

  @Field(() => DeliveryStatus, { nullable: true })
  channelStatus?: DeliveryStatus | null;

  @Field(() => Actor)
  actor!: Actor;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType('PromotionEventFilter', {
  description: 'Every given criterion must match (lists: any of).',
})
export class PromotionEventFilter {
  @Field(() => [ID], { nullable: true })
  promotionIds?: string[] | null;

  @Field(() => [PromotionState], {
    nullable: true,
    description: "The promotion's state after the event.",
  })
  states?: PromotionState[] | null;

  @Field(() => [SalesChannel], { nullable: true })
  channels?: SalesChannel[] | null;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;

  @Field(() => [PromotionEventKind], { nullable: true })
  kinds?: PromotionEventKind[] | null;
}
