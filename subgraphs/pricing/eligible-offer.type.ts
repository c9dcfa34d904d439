import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { SalesChannel } from '../shared/canonical/enums.ts';
import { PromotionTerms } from '../shared/canonical/promotion-terms.type.ts';

/**
 * An offer that applies to one SKU at one location in one channel (owned by the promotion
 * subgraph), extended with its regular and promotional price.
 */
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

  @Directive('@external')
  @Field(() => PromotionTerms)
  terms!: PromotionTerms;

  /** BUNDLE_PRICE: the SKUs sharing the bundle price; empty otherwise (promotion's field). */
  @Directive('@external')
  @Field(() => [String])
  bundleSkus!: string[];
}
