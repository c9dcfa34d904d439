import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../shared/canonical/money.type.ts';
import { DateTimeScalar, LocalDateScalar } from '../../contracts/canonical/scalars.ts';
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

  @Field(() => DateTimeScalar, {
    description:
      'When the ERP answered this price. Shelf prices may come from a cache: an answer older than its fresh window is marked in the response (`extensions.freshness`); send `Cache-Control: no-cache` for a fresh one.',
  })
  asOf!: string;
}
