import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { Money } from '../../shared/canonical/money.type.ts';
import { DateTimeScalar, TimeZoneScalar } from '../../../contracts/canonical/scalars.ts';
import { DiscountClass, StackingMode, WindowMode } from '../model/promotion-enums.ts';

@ObjectType('ProductScope', {
  description:
    'Qualifying products: explicit SKUs, categories (product groups), brands and product-hierarchy nodes, expanded through the product master when eligibility is asked (a SKU that joins a category later is covered). Exclusions of every kind win over inclusions.',
})
export class ProductScope {
  @Field(() => [String])
  skus!: string[];

  @Field(() => [ID])
  categoryIds!: string[];

  @Field(() => [ID])
  brandIds!: string[];

  @Field(() => [ID])
  hierarchyNodeIds!: string[];

  @Field(() => [String])
  excludedSkus!: string[];

  @Field(() => [ID])
  excludedCategoryIds!: string[];

  @Field(() => [ID])
  excludedBrandIds!: string[];

  @Field(() => [ID])
  excludedHierarchyNodeIds!: string[];
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
