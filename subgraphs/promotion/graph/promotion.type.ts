import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ExternalRef } from '../../shared/canonical/external-ref.type.ts';
import { ReadinessCheck } from '../../shared/canonical/readiness.type.ts';
import {
  CurrencyCodeScalar,
  DateTimeScalar,
  DecimalScalar,
  LocalDateScalar,
} from '../../../contracts/canonical/scalars.ts';
import { Offer } from './offer.type.ts';
import { ActivationMode, PromotionState } from '../model/promotion-enums.ts';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { ChannelPublication } from './publication.type.ts';
import {
  EffectiveWindow,
  Eligibility,
  ProductScope,
  RedemptionLimits,
  Stacking,
} from './scope.type.ts';

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Vendor', { description: 'Entity stub; the funding subgraph resolves it.' })
export class Vendor {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('FundingAgreement', { description: 'Entity stub; the funding subgraph resolves it.' })
export class FundingAgreement {
  @Field(() => ID)
  id!: string;
}

@ObjectType('ReadinessReport', {
  description: 'Snapshot recorded at approval (not the live checks).',
})
export class ReadinessReport {
  @Field(() => DateTimeScalar)
  checkedAt!: string;

  @Field(() => Boolean)
  passed!: boolean;

  @Field(() => Boolean)
  overridden!: boolean;

  @Field(() => String, { nullable: true })
  overrideReason?: string | null;

  @Field(() => Boolean, {
    description:
      "The approver accepted the INVENTORY check's holds: the held locations wait for stock, the others went ahead.",
  })
  stockHoldsAccepted?: boolean;

  @Field(() => [ReadinessCheck])
  checks!: ReadinessCheck[];
}

@ObjectType('StockHold', {
  description:
    'A location where the promotion is not live for lack of stock (eligibility answers HELD_FOR_STOCK, channels get it in heldLocationIds) until released.',
})
export class StockHold {
  @Field(() => ID)
  locationId!: string;

  @Field(() => DateTimeScalar)
  since!: string;

  @Field(() => String, { description: 'The shortfalls behind it, with the numbers.' })
  reason!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'null while held.' })
  releasedAt!: string | null;

  @Field(() => String, { nullable: true })
  releaseReason!: string | null;
}

export enum ReplenishmentStatus {
  PENDING = 'PENDING',
  REQUESTED = 'REQUESTED',
  ORDERED = 'ORDERED',
  RECEIVED = 'RECEIVED',
  CANCELLED = 'CANCELLED',
  REFUSED = 'REFUSED',
}
registerEnumType(ReplenishmentStatus, {
  name: 'ReplenishmentStatus',
  description:
    'PENDING: planned, not yet accepted by the ERP; REQUESTED: a purchase requisition exists; ORDERED: ordered or partly received; RECEIVED: the goods arrived; CANCELLED; REFUSED: the ERP refused it (see refusal).',
});

@ObjectType('Replenishment', {
  description:
    'A request for the stock a held location lacks, as a purchase requisition in the ERP.',
})
export class Replenishment {
  @Field(() => ID, { description: 'Our reference, kept by the ERP (one request per reference).' })
  reference!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => DecimalScalar, { description: 'The shortfall rounded up to whole units.' })
  quantity!: string;

  @Field(() => LocalDateScalar)
  neededBy!: string;

  @Field(() => ReplenishmentStatus)
  status!: ReplenishmentStatus;

  @Field(() => String, { nullable: true, description: "The ERP's requisition number." })
  requisitionId!: string | null;

  @Field(() => DecimalScalar)
  receivedQuantity!: string;

  @Field(() => String, { nullable: true })
  refusal!: string | null;

  @Field(() => DateTimeScalar)
  updatedAt!: string;
}

@ObjectType('ActivationHold', {
  description:
    'Why an ALL_OR_NONE promotion is live in no channel although it should be: a targeted channel has not acknowledged.',
})
export class ActivationHold {
  @Field(() => DateTimeScalar)
  since!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => [SalesChannel], { description: 'Targeted channels not confirmed live yet.' })
  awaitingChannels!: SalesChannel[];
}

/**
 * A retail promotion. Fields computed from other data (terms, publicationSummary, isLiveAt,
 * audit, vendor, fundingAgreement, approvalReadiness) live in promotion.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Promotion')
export class Promotion {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Optimistic concurrency token; every change bumps it.' })
  version!: number;

  @Field(() => PromotionState)
  state!: PromotionState;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  customerDisplayName?: string | null;

  @Field(() => CurrencyCodeScalar, { description: 'Currency of every amount in the offer.' })
  currency!: string;

  @Field(() => Offer)
  offer!: Offer;

  @Field(() => ProductScope)
  scope!: ProductScope;

  @Field(() => Eligibility)
  eligibility!: Eligibility;

  @Field(() => EffectiveWindow)
  window!: EffectiveWindow;

  @Field(() => Stacking)
  stacking!: Stacking;

  @Field(() => RedemptionLimits, { nullable: true })
  limits?: RedemptionLimits | null;

  @Field(() => [ChannelPublication])
  channels!: ChannelPublication[];

  @Field(() => ActivationMode)
  activationMode!: ActivationMode;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar)
  updatedAt!: string;

  @Field(() => [ExternalRef])
  externalRefs!: ExternalRef[];
}

@ObjectType('PromotionMutationResult')
export class PromotionMutationResult {
  @Field(() => Promotion)
  promotion!: Promotion;

  @Field(() => String, {
    description:
      'Cursor of the event this change emitted; subscribe with `after:` it to see what follows (deliveries...).',
  })
  eventCursor!: string;

  @Field(() => Boolean, { description: 'True when an idempotency key replayed an earlier result.' })
  idempotentReplay!: boolean;
}
