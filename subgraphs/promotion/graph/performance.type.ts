import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { requiresScopes } from '../../shared/access-control.ts';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { Money } from '../../shared/canonical/money.type.ts';
import {
  DateTimeScalar,
  DecimalScalar,
  LocalDateScalar,
} from '../../../contracts/canonical/scalars.ts';

@ObjectType('PerformanceTotals', { description: 'Recorded sales lines summed (returns net).' })
export class PerformanceTotals {
  @Field(() => DecimalScalar)
  units!: string;

  @Field(() => Int)
  lines!: number;

  @Field(() => Money, { description: 'Discount the promotion gave.' })
  discountGiven!: Money;

  @Field(() => Money, {
    description:
      "The vendor's share of the discount: each line's discount × vendorSharePercent, rounded to the cent (half away from zero), summed.",
  })
  vendorFunded!: Money;

  @Directive(requiresScopes(['finance:read']))
  @Field(() => Money, { description: 'What the retailer funds: discountGiven − vendorFunded.' })
  retailerFunded!: Money;
}

@ObjectType('ChannelPerformance')
export class ChannelPerformance {
  @Field(() => SalesChannel)
  channel!: SalesChannel;

  @Field(() => PerformanceTotals)
  totals!: PerformanceTotals;
}

@ObjectType('LocationPerformance')
export class LocationPerformance {
  @Field(() => ID)
  locationId!: string;

  @Field(() => PerformanceTotals)
  totals!: PerformanceTotals;
}

@ObjectType('DayPerformance')
export class DayPerformance {
  @Field(() => LocalDateScalar, { description: "The calendar day in the promotion's time zone." })
  day!: string;

  @Field(() => PerformanceTotals)
  totals!: PerformanceTotals;
}

@ObjectType('PromotionPerformance', {
  description:
    'What the channels reported selling under the promotion (recordRedemptions): units and discount by channel, location and day, against the expected units.',
})
export class PromotionPerformance {
  @Field(() => PerformanceTotals)
  totals!: PerformanceTotals;

  @Field(() => [ChannelPerformance])
  byChannel!: ChannelPerformance[];

  @Field(() => [LocationPerformance])
  byLocation!: LocationPerformance[];

  @Field(() => [DayPerformance])
  byDay!: DayPerformance[];

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Σ expectedUnits; null when the promotion names none.',
  })
  expectedUnits!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'units / expectedUnits × 100, 1 decimal; null without expected units.',
  })
  unitsVsExpectedPercent!: string | null;

  @Field(() => DecimalScalar, {
    description: 'The vendor share the funding is figured at (0 without vendor funding).',
  })
  vendorSharePercent!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  lastSoldAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the newest line arrived.' })
  lastReceivedAt!: string | null;
}
