import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../shared/canonical/money.type.ts';
import { PromotionTerms } from '../shared/canonical/promotion-terms.type.ts';
import { ReadinessCheck } from '../shared/canonical/readiness.type.ts';
import { FundingViolation } from './funding-check.ts';
import { FundingAgreement } from './funding-agreement.type.ts';

registerEnumType(FundingViolation, { name: 'FundingViolation' });

@ObjectType('FundingCheck', { description: "The funding side of a promotion's readiness." })
export class FundingCheck {
  @Field(() => ReadinessCheck)
  check!: ReadinessCheck;

  @Field(() => FundingAgreement, { nullable: true })
  agreement!: FundingAgreement | null;

  @Field(() => Money, {
    nullable: true,
    description:
      'Σ expected units × discount per unit × vendor share (list price from the ERP for percent-off and fixed-price offers), or Σ expected units × amount per unit for scan-back agreements; null when it cannot be estimated.',
  })
  expectedVendorCost!: Money | null;

  @Field(() => Money, {
    nullable: true,
    description: 'remaining − expectedVendorCost; negative when the cap is exceeded.',
  })
  remainingAfter!: Money | null;

  @Field(() => [FundingViolation])
  violations!: FundingViolation[];
}

/** The promotion entity, owned by the promotion subgraph; funding contributes `funding`. */
@Directive('@key(fields: "id")')
@ObjectType('Promotion')
export class Promotion {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => PromotionTerms)
  terms!: PromotionTerms;
}
