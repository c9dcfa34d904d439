import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PromotionTerms } from '../shared/canonical/promotion-terms.type.ts';

/**
 * Promotion (owned by the promotion subgraph), extended with `priceImpact`. `terms` is external:
 * the gateway fetches it from the promotion subgraph and passes it in the representation.
 */
@Directive('@key(fields: "id")')
@ObjectType('Promotion')
export class Promotion {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => PromotionTerms)
  terms!: PromotionTerms;
}
