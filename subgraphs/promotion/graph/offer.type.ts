import { Field, ID, Int, ObjectType } from 'type-graphql';
import { OfferKind } from '../../shared/canonical/enums.ts';
import { Money } from '../../shared/canonical/money.type.ts';
import { DecimalScalar } from '../../../contracts/canonical/scalars.ts';
import { ItemSelection } from '../model/promotion-enums.ts';

@ObjectType('BuyXGetY')
export class BuyXGetY {
  @Field(() => Int)
  buyQuantity!: number;

  @Field(() => Int)
  getQuantity!: number;

  @Field(() => DecimalScalar, { description: '100 means the "get" items are free.' })
  getDiscountPercent!: string;

  @Field(() => ItemSelection)
  selection!: ItemSelection;

  @Field(() => Int, { nullable: true })
  maxApplicationsPerOrder?: number | null;
}

@ObjectType('BundleComponent')
export class BundleComponent {
  @Field(() => String, { nullable: true })
  sku?: string | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => Int)
  quantity!: number;
}

@ObjectType('Bundle')
export class Bundle {
  @Field(() => [BundleComponent])
  components!: BundleComponent[];

  @Field(() => Money)
  bundlePrice!: Money;
}

@ObjectType('MinimumRequirement')
export class MinimumRequirement {
  @Field(() => Money, { nullable: true })
  subtotal?: Money | null;

  @Field(() => Int, { nullable: true })
  quantity?: number | null;
}

/** What the customer gets; exactly the field matching `kind` is set. */
@ObjectType('Offer')
export class Offer {
  @Field(() => OfferKind)
  kind!: OfferKind;

  @Field(() => DecimalScalar, { nullable: true, description: '0 < x <= 100, at most 3 decimals.' })
  percentOff?: string | null;

  @Field(() => Money, { nullable: true })
  amountOff?: Money | null;

  @Field(() => Money, { nullable: true })
  fixedPrice?: Money | null;

  @Field(() => BuyXGetY, { nullable: true })
  buyXGetY?: BuyXGetY | null;

  @Field(() => Bundle, { nullable: true })
  bundle?: Bundle | null;

  @Field(() => MinimumRequirement, { nullable: true })
  minimumRequirement?: MinimumRequirement | null;
}
