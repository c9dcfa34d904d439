import { Field, ObjectType } from 'type-graphql';
import { Money } from '../shared/canonical/money.type.ts';
import { DecimalScalar } from '../../contracts/canonical/scalars.ts';
import { MarginBasis } from './pricing-enums.ts';

/** Lowest selling price that keeps the minimum margin: cost / (1 - minimumMarginPercent / 100). */
@ObjectType('MarginFloor')
export class MarginFloor {
  @Field(() => Money)
  minimumPrice!: Money;

  @Field(() => DecimalScalar)
  minimumMarginPercent!: string;

  @Field(() => MarginBasis)
  basis!: MarginBasis;
}
