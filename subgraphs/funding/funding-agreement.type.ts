import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { ExternalRef } from '../shared/canonical/external-ref.type.ts';
import { Money } from '../shared/canonical/money.type.ts';
import {
  CurrencyCodeScalar,
  DecimalScalar,
  LocalDateScalar,
} from '../../contracts/canonical/scalars.ts';
import {
  FundingStatus,
  FundingType,
  SettlementKind,
  SettlementMethod,
} from './funding-agreement.model.ts';

registerEnumType(FundingType, { name: 'FundingType', description: 'How the vendor pays.' });
registerEnumType(FundingStatus, {
  name: 'FundingStatus',
  description: 'Derived from the ERP release state, the validity and the remaining budget.',
});
registerEnumType(SettlementMethod, { name: 'SettlementMethod' });
registerEnumType(SettlementKind, { name: 'SettlementKind' });

@ObjectType('FundingEligibility', {
  description: 'What business volume counts toward the agreement.',
})
export class FundingEligibility {
  @Field(() => [String], {
    description: 'Included SKUs; empty with no product groups means every SKU.',
  })
  skus!: string[];

  @Field(() => [ID])
  productGroupIds!: string[];

  @Field(() => [ID], { description: 'Included locations; empty means every location.' })
  locationIds!: string[];

  @Field(() => [String])
  excludedSkus!: string[];
}

@ObjectType('SettlementDate')
export class SettlementDate {
  @Field(() => LocalDateScalar)
  date!: string;

  @Field(() => SettlementKind)
  kind!: SettlementKind;
}

@ObjectType('SettlementTerms')
export class SettlementTerms {
  @Field(() => SettlementMethod)
  method!: SettlementMethod;

  @Field(() => [SettlementDate])
  calendar!: SettlementDate[];
}

@Directive(requiresScopes(['funding:read']))
@Directive('@key(fields: "id")')
@ObjectType('FundingAgreement', {
  description: 'A vendor funding agreement (an ERP condition contract).',
})
export class FundingAgreement {
  @Field(() => ID)
  id!: string;

  /** Resolved by `FundingAgreementResolver.vendor`. */
  vendorId!: string;

  @Field(() => FundingType)
  type!: FundingType;

  @Field(() => FundingStatus)
  status!: FundingStatus;

  @Field(() => LocalDateScalar)
  validFrom!: string;

  @Field(() => LocalDateScalar)
  validTo!: string;

  @Field(() => CurrencyCodeScalar)
  currency!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Vendor share of the discount, in percent.',
  })
  sharePercent!: string | null;

  @Field(() => Money, { nullable: true, description: 'Vendor money per unit sold (scan-back).' })
  amountPerUnit!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Most the vendor pays; null when uncapped.' })
  cap!: Money | null;

  @Field(() => Money, { description: 'Planned spend of approved promotions not yet accrued.' })
  committed!: Money;

  @Field(() => Money, { description: 'Accrued so far (earned or owed).' })
  accrued!: Money;

  @Field(() => Money, {
    description:
      'cap − committed − accrued, never below 0. Uncapped agreements report 0 and never run out.',
  })
  remaining!: Money;

  @Field(() => FundingEligibility)
  eligibility!: FundingEligibility;

  @Field(() => SettlementTerms)
  settlement!: SettlementTerms;

  @Field(() => [ExternalRef])
  externalRefs!: ExternalRef[];
}
