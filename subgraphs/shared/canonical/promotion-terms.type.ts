import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { OfferKind, SalesChannel } from './enums.ts';
import { Money } from './money.type.ts';
import {
  CurrencyCodeScalar,
  DateTimeScalar,
  DecimalScalar,
  TimeZoneScalar,
} from '../../../contracts/canonical/scalars.ts';

@Directive('@shareable')
@ObjectType('SkuQuantity')
export class SkuQuantity {
  @Field(() => String)
  sku!: string;

  @Field(() => DecimalScalar)
  quantity!: string;
}

/**
 * Flat projection of a promotion's terms, owned by the promotion subgraph and `@requires`d by
 * pricing, inventory and funding (they never import the promotion subgraph, only this shape).
 */
@Directive('@shareable')
@ObjectType('PromotionTerms')
export class PromotionTerms {
  @Field(() => [String], { description: 'Qualifying SKUs (explicit scope).' })
  skus!: string[];

  @Field(() => [String])
  excludedSkus!: string[];

  @Field(() => [ID], { description: 'Empty means every location of the channels.' })
  locationIds!: string[];

  @Field(() => [SalesChannel])
  channels!: SalesChannel[];

  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar)
  endsAt!: string;

  @Field(() => TimeZoneScalar)
  timeZone!: string;

  @Field(() => OfferKind)
  offerKind!: OfferKind;

  @Field(() => DecimalScalar, { nullable: true })
  percentOff?: string | null;

  @Field(() => Money, { nullable: true })
  amountOff?: Money | null;

  @Field(() => Money, { nullable: true })
  fixedPrice?: Money | null;

  @Field(() => Int, { nullable: true })
  buyQuantity?: number | null;

  @Field(() => Int, { nullable: true })
  getQuantity?: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  getDiscountPercent?: string | null;

  @Field(() => Money, { nullable: true })
  bundlePrice?: Money | null;

  @Field(() => CurrencyCodeScalar)
  currency!: string;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;

  @Field(() => ID, { nullable: true })
  fundingAgreementId?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  vendorSharePercent?: string | null;

  @Field(() => [SkuQuantity], { description: 'Forecast units per SKU used by readiness checks.' })
  expectedUnitsBySku!: SkuQuantity[];
}
