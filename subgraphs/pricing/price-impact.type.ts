import { Field, ObjectType } from 'type-graphql';
import { Money } from '../shared/canonical/money.type.ts';
import { ReadinessCheck } from '../shared/canonical/readiness.type.ts';
import { DecimalScalar } from '../../contracts/canonical/scalars.ts';

@ObjectType('SkuPriceImpact', {
  description: 'One SKU at its binding scope (the location/channel with the lowest margin).',
})
export class SkuPriceImpact {
  @Field(() => String)
  sku!: string;

  @Field(() => Money)
  regularPrice!: Money;

  @Field(() => Money)
  promotionalPrice!: Money;

  @Field(() => Money)
  discountPerUnit!: Money;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Null when the cost is unknown or the price is 0.',
  })
  marginAtPromoPercent?: string | null;

  @Field(() => Boolean)
  breachesFloor!: boolean;
}

@ObjectType('PriceImpact')
export class PriceImpact {
  @Field(() => ReadinessCheck)
  check!: ReadinessCheck;

  @Field(() => [SkuPriceImpact])
  perSku!: SkuPriceImpact[];

  @Field(() => Money, {
    description: 'Σ discountPerUnit × expected units, in the promotion currency.',
  })
  expectedDiscountCost!: Money;
}
