import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { Money } from '../../shared/canonical/money.type.ts';
import { DateTimeScalar, TimeZoneScalar } from '../../../contracts/canonical/scalars.ts';
import { DiscountClass, StackingMode, WindowMode } from '../model/promotion-enums.ts';

@ObjectType('ProductScope', {
  description:
    'Qualifying products. Eligibility matches explicit SKUs only in this version; categories and brands are kept for channels and reporting.',
})
export class ProductScope {
  @Field(() => [String])
  skus!: string[];

  @Field(() => [ID])
  categoryIds!: string[];

  @Field(() => [ID])
  brandIds!: string[];

  @Field(() => [String])
  excludedSkus!: string[];

  @Field(() => [ID])
  excludedCategoryIds!: string[];
}

@ObjectType('Eligibility')
export class Eligibility {
  @Field(() => [SalesChannel])
  channels!: SalesChannel[];

  @Field(() => [ID], { description: 'Empty means every location of the channels.' })
  locationIds!: string[];

  @Field(() => [ID])
  regionIds!: string[];

  @Field(() => [String], { description: 'Empty means every customer.' })
  customerSegments!: string[];

  @Field(() => Boolean)
  requiresCode!: boolean;
}

@ObjectType('EffectiveWindow')
export class EffectiveWindow {
  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar, { description: 'Exclusive.' })
  endsAt!: string;

  @Field(() => TimeZoneScalar)
  timeZone!: string;

  @Field(() => WindowMode)
  mode!: WindowMode;
}

@ObjectType('Stacking')
export class Stacking {
  @Field(() => StackingMode)
  mode!: StackingMode;

  @Field(() => DiscountClass)
  discountClass!: DiscountClass;

  @Field(() => Int, { description: 'Lower applies first (0..1000).' })
  priority!: number;
}

@ObjectType('RedemptionLimits')
export class RedemptionLimits {
  @Field(() => Int, { nullable: true })
  maxRedemptions?: number | null;

  @Field(() => Int, { nullable: true })
  maxRedemptionsPerCustomer?: number | null;

  @Field(() => Int, { nullable: true })
  maxPerOrder?: number | null;

  @Field(() => Money, { nullable: true })
  budget?: Money | null;
}
