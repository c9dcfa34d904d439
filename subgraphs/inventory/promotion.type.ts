import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { PromotionTerms } from '../shared/canonical/promotion-terms.type.ts';
import { InventoryReadiness } from './stock-readiness.type.ts';

export const STOCK_READINESS_REQUIRES =
  'terms { skus locationIds channels startsAt endsAt expectedUnitsBySku { sku quantity } }';

/** Promotion (owned by the promotion subgraph), extended here with `stockReadiness`. */
@Directive('@key(fields: "id")')
@ObjectType('Promotion')
export class Promotion {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => PromotionTerms)
  terms!: PromotionTerms;

  @Directive(`@requires(fields: "${STOCK_READINESS_REQUIRES}")`)
  @Directive(requiresScopes(['inventory:read']))
  @Field(() => InventoryReadiness, {
    nullable: true,
    description: 'Live check: does available-to-promise cover the forecast uplift per location?',
  })
  stockReadiness?: InventoryReadiness | null;
}
