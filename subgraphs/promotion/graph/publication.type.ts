import { Field, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import { ChannelIntent, DeliveryStatus } from '../model/promotion-enums.ts';

/** Desired intent in one channel, and the delivery status of that intent (DOMAIN 3.3). */
@ObjectType('ChannelPublication')
export class ChannelPublication {
  @Field(() => SalesChannel)
  channel!: SalesChannel;

  @Field(() => ChannelIntent)
  intent!: ChannelIntent;

  @Field(() => DeliveryStatus, {
    description: 'ACKNOWLEDGED means the channel accepted it, not that it is verified live.',
  })
  status!: DeliveryStatus;

  @Field(() => Int, {
    nullable: true,
    description: 'Promotion version the channel last acknowledged.',
  })
  publishedVersion?: number | null;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true })
  lastError?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  nextAttemptAt?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  sentAt?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  acknowledgedAt?: string | null;

  @Field(() => String, { nullable: true })
  channelRef?: string | null;

  @Field(() => ChannelIntent, {
    nullable: true,
    description:
      'What the channel last confirmed it shows (the intent of its last acknowledged delivery), whatever is being delivered now.',
  })
  acknowledgedIntent?: ChannelIntent | null;

  @Field(() => Boolean, {
    description:
      "ALL_OR_NONE: this delivery tells the channel SUSPENDED on the promotion's behalf (staged until every channel acknowledged, or compensating while one is failing); `intent` stays what was asked.",
  })
  held!: boolean;
}

@ObjectType('PublicationSummary', {
  description:
    'Counts over the latest delivery of every channel; "partially published" is derived.',
})
export class PublicationSummary {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  acknowledged!: number;

  @Field(() => Int, { description: 'PENDING or SENT.' })
  pending!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  deadLettered!: number;

  @Field(() => Boolean, {
    description: 'Every channel acknowledged its latest delivery and none is held.',
  })
  isFullyPublished!: boolean;
}
