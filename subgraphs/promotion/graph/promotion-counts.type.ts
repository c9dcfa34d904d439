import { Field, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { ChannelIntent, DeliveryStatus, PromotionState } from '../model/promotion-enums.ts';

@ObjectType('PromotionStateCount')
export class PromotionStateCount {
  @Field(() => PromotionState)
  state!: PromotionState;

  @Field(() => Int)
  count!: number;
}

@ObjectType('ChannelPublicationCount', {
  description:
    'Promotions targeting a channel (their eligibility) whose publication there stands alike.',
})
export class ChannelPublicationCount {
  @Field(() => SalesChannel)
  channel!: SalesChannel;

  @Field(() => ChannelIntent, { nullable: true, description: 'Null: not published there.' })
  intent!: ChannelIntent | null;

  @Field(() => DeliveryStatus, { nullable: true, description: 'Null: not published there.' })
  status!: DeliveryStatus | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType('PromotionCounts', {
  description: 'The promotions a filter matches, counted: every one, not a page.',
})
export class PromotionCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => [PromotionStateCount], {
    description: 'States with a promotion, in lifecycle order.',
  })
  byState!: PromotionStateCount[];

  @Field(() => [ChannelPublicationCount], {
    description:
      'Per channel targeted, by intent and delivery status; groups of zero are left out.',
  })
  byChannel!: ChannelPublicationCount[];
}
