import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../../shared/canonical/money.type.ts';
import {
  DateTimeScalar,
  DecimalScalar,
  LocalDateScalar,
} from '../../../contracts/canonical/scalars.ts';
import { FundingCapStatus } from '../reconciliation/reconciliation-report.ts';

registerEnumType(FundingCapStatus, {
  name: 'FundingCapStatus',
  description:
    "How much of the agreement's cap is consumed (accrued in the ERP plus lines not yet accrued): NEAR_CAP from FUNDING_NEAR_CAP_PERCENT (default 90), CAP_EXCEEDED past 100.",
});

export enum SettlementClaimKind {
  FINAL = 'FINAL',
  DELTA = 'DELTA',
}
registerEnumType(SettlementClaimKind, {
  name: 'SettlementClaimKind',
  description: 'FINAL: the claim at the end; DELTA: a later claim for sales lines reported late.',
});

@ObjectType('FundingAccrual', {
  description: "A batch of sales lines accrued on the vendor's condition contract in the ERP.",
})
export class FundingAccrual {
  @Field(() => ID, { description: 'Our reference, kept by the ERP with its document.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The ERP document; null until posted.' })
  erpDocument!: string | null;

  @Field(() => Money)
  amount!: Money;

  @Field(() => Int)
  lineCount!: number;

  @Field(() => LocalDateScalar)
  postingDate!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  postedAt!: string | null;

  @Field(() => ID, { nullable: true, description: 'The claim that settles it.' })
  claimId!: string | null;
}

@ObjectType('SettlementClaim', {
  description: 'A claim on the vendor, settling accruals (the ERP reverses them when it posts).',
})
export class SettlementClaim {
  @Field(() => ID)
  id!: string;

  @Field(() => SettlementClaimKind)
  kind!: SettlementClaimKind;

  @Field(() => String, { nullable: true, description: 'The ERP settlement document.' })
  erpDocument!: string | null;

  @Field(() => Money)
  amount!: Money;

  @Field(() => LocalDateScalar)
  settlementDate!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  postedAt!: string | null;

  @Field(() => [String], { description: 'The ERP documents of the accruals it settles.' })
  accrualDocuments!: string[];
}

@ObjectType('FundingPosition')
export class FundingPosition {
  @Field(() => ID)
  agreementId!: string;

  @Field(() => Money, { nullable: true, description: 'null: the agreement has no cap.' })
  cap!: Money | null;

  @Field(() => Money, {
    description: 'Everything accrued on the agreement in the ERP, all its promotions.',
  })
  accruedOnAgreement!: Money;

  @Field(() => DecimalScalar, { nullable: true })
  consumedPercent!: string | null;

  @Field(() => FundingCapStatus)
  status!: FundingCapStatus;
}

@ObjectType('Reconciliation', {
  description:
    "A vendor-funded promotion tied out to the cent: the sales lines' vendor share (rounded per line), the accruals posted to the ERP, and the claims settling them.",
})
export class Reconciliation {
  @Field(() => ID)
  promotionId!: string;

  @Field(() => ID)
  agreementId!: string;

  @Field(() => Int)
  lines!: number;

  @Field(() => Money, { description: 'Σ of each line’s discount × vendor share, to the cent.' })
  vendorFunded!: Money;

  @Field(() => Int)
  unaccruedLines!: number;

  @Field(() => Money)
  unaccrued!: Money;

  @Field(() => Money, { description: 'Accrued and posted to the ERP.' })
  accrued!: Money;

  @Field(() => Money, { description: 'Accrued here, not yet answered by the ERP.' })
  pendingAccrual!: Money;

  @Field(() => Money)
  claimed!: Money;

  @Field(() => Money, { nullable: true, description: 'The ERP’s accruals for this promotion.' })
  erpAccrued!: Money | null;

  @Field(() => Money, { nullable: true, description: 'The ERP’s claims for this promotion.' })
  erpClaimed!: Money | null;

  @Field(() => Boolean)
  tiesOut!: boolean;

  @Field(() => [String], { description: 'Each difference, with the amounts.' })
  differences!: string[];

  @Field(() => Boolean, {
    description: 'Ended, every line accrued and claimed, the ERP agreeing to the cent.',
  })
  settled!: boolean;

  @Field(() => [FundingAccrual])
  accruals!: FundingAccrual[];

  @Field(() => [SettlementClaim])
  claims!: SettlementClaim[];

  @Field(() => FundingPosition, { nullable: true })
  funding!: FundingPosition | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the ERP was read for these figures; null: never reconciled.',
  })
  checkedAt!: string | null;
}
