import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { IneligibilityReason } from '../model/promotion-enums.ts';

/** Product entity: pricing owns it; this subgraph contributes `activePromotions`. */
@Directive('@key(fields: "sku")')
@ObjectType('Product')
export class Product {
  @Field(() => String)
  sku!: string;
}

@ObjectType('NotAppliedOffer')
export class NotAppliedOffer {
  @Field(() => ID)
  promotionId!: string;

  @Field(() => IneligibilityReason)
  reason!: IneligibilityReason;
}

/** One promotion applied to one SKU at one location and channel; pricing adds its price. */
@Directive('@key(fields: "promotionId sku locationId channel")')
@ObjectType('EligibleOffer')
export class EligibleOffer {
  @Field(() => ID)
  promotionId!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => SalesChannel)
  channel!: SalesChannel;

  @Field(() => Int, { description: '1 = applies first (discount class, then priority).' })
  applicationOrder!: number;
}

@ObjectType('SkuEligibility', {
  description:
    'One requested SKU: the offers that apply under the stacking rules, in order, and why others do not.',
})
export class SkuEligibility {
  @Field(() => String)
  sku!: string;

  @Field(() => Product)
  product!: Product;

  @Field(() => [EligibleOffer])
  offers!: EligibleOffer[];

  @Field(() => [NotAppliedOffer])
  notApplied!: NotAppliedOffer[];
}
