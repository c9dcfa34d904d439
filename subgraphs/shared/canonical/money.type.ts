import { Directive, Field, ObjectType } from 'type-graphql';
import { CurrencyCodeScalar, DecimalScalar } from '../../../contracts/canonical/scalars.ts';

@Directive('@shareable')
@ObjectType('Money', { description: 'An exact amount in one currency.' })
export class Money {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => CurrencyCodeScalar)
  currency!: string;
}
