import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../shared/canonical/money.type.ts';
import { LocalDateScalar } from '../../contracts/canonical/scalars.ts';
import { PriceKind } from './pricing-enums.ts';

/** The effective selling price of one base unit of a product, for a store/channel at an instant. */
@Directive('@shareable')
@ObjectType('Price')
export class Price {
  @Field(() => Money, {
    description: 'Price of one base unit (normalised from the ERP pricing unit).',
  })
  amount!: Money;

  @Field(() => PriceKind)
  kind!: PriceKind;

  @Field(() => Int, {
    description: 'Pricing unit the ERP quoted the rate for; amount is already per 1 unit.',
  })
  perQuantity!: number;

  @Field(() => String)
  unitOfMeasure!: string;

  @Field(() => LocalDateScalar)
  validFrom!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Null when open-ended.' })
  validTo?: string | null;
}
