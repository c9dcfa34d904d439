import { Field, ID, InputType, Int } from 'type-graphql';
import { OfferKind, SalesChannel } from '../../shared/canonical/enums.ts';
import {
  CurrencyCodeScalar,
  DateTimeScalar,
  DecimalScalar,
  TimeZoneScalar,
} from '../../../contracts/canonical/scalars.ts';
import {
  ActivationMode,
  DiscountClass,
  ItemSelection,
  PromotionState,
  StackingMode,
  SuspensionReason,
  WindowMode,
} from '../model/promotion-enums.ts';

/** Inputs mirror the output types; validation lives in promotion-validation.ts. */

@InputType('MoneyInput')
export class MoneyInput {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => CurrencyCodeScalar)
  currency!: string;
}

@InputType('BuyXGetYInput')
export class BuyXGetYInput {
  @Field(() => Int)
  buyQuantity!: number;

  @Field(() => Int)
  getQuantity!: number;

  @Field(() => DecimalScalar)
  getDiscountPercent!: string;

  @Field(() => ItemSelection, { defaultValue: ItemSelection.CHEAPEST })
  selection!: ItemSelection;

  @Field(() => Int, { nullable: true })
  maxApplicationsPerOrder?: number | null;
}

@InputType('BundleComponentInput', { description: 'Exactly one of sku or categoryId.' })
export class BundleComponentInput {
  @Field(() => String, { nullable: true })
  sku?: string | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => Int)
  quantity!: number;
}

@InputType('BundleInput')
export class BundleInput {
  @Field(() => [BundleComponentInput])
  components!: BundleComponentInput[];

  @Field(() => MoneyInput)
  bundlePrice!: MoneyInput;
}

@InputType('MinimumRequirementInput')
export class MinimumRequirementInput {
  @Field(() => MoneyInput, { nullable: true })
  subtotal?: MoneyInput | null;

  @Field(() => Int, { nullable: true })
  quantity?: number | null;
}

@InputType('OfferInput', { description: 'Exactly the field matching `kind` must be set.' })
export class OfferInput {
  @Field(() => OfferKind)
  kind!: OfferKind;

  @Field(() => DecimalScalar, { nullable: true })
  percentOff?: string | null;

  @Field(() => MoneyInput, { nullable: true })
  amountOff?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true })
  fixedPrice?: MoneyInput | null;

  @Field(() => BuyXGetYInput, { nullable: true })
  buyXGetY?: BuyXGetYInput | null;

  @Field(() => BundleInput, { nullable: true })
  bundle?: BundleInput | null;

  @Field(() => MinimumRequirementInput, { nullable: true })
  minimumRequirement?: MinimumRequirementInput | null;
}

@InputType('ProductScopeInput')
export class ProductScopeInput {
  @Field(() => [String], { nullable: true })
  skus?: string[] | null;

  @Field(() => [ID], { nullable: true })
  categoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  brandIds?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Product-hierarchy nodes (a node covers every SKU under it, at any level below).',
  })
  hierarchyNodeIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  excludedSkus?: string[] | null;

  @Field(() => [ID], { nullable: true })
  excludedCategoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  excludedBrandIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  excludedHierarchyNodeIds?: string[] | null;
}

@InputType('EligibilityInput')
export class EligibilityInput {
  @Field(() => [SalesChannel])
  channels!: SalesChannel[];

  @Field(() => [ID], { nullable: true, description: 'Empty or absent: every location.' })
  locationIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  regionIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Empty or absent: every customer.' })
  customerSegments?: string[] | null;

  @Field(() => Boolean, { defaultValue: false })
  requiresCode!: boolean;
}

@InputType('EffectiveWindowInput')
export class EffectiveWindowInput {
  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar)
  endsAt!: string;

  @Field(() => TimeZoneScalar)
  timeZone!: string;

  @Field(() => WindowMode, { defaultValue: WindowMode.ABSOLUTE })
  mode!: WindowMode;
}

@InputType('StackingInput')
export class StackingInput {
  @Field(() => StackingMode)
  mode!: StackingMode;

  @Field(() => DiscountClass, { defaultValue: DiscountClass.PRODUCT })
  discountClass!: DiscountClass;

  @Field(() => Int, { description: '0..1000, lower applies first.' })
  priority!: number;
}

@InputType('RedemptionLimitsInput')
export class RedemptionLimitsInput {
  @Field(() => Int, { nullable: true })
  maxRedemptions?: number | null;

  @Field(() => Int, { nullable: true })
  maxRedemptionsPerCustomer?: number | null;

  @Field(() => Int, { nullable: true })
  maxPerOrder?: number | null;

  @Field(() => MoneyInput, { nullable: true })
  budget?: MoneyInput | null;
}

@InputType('SkuQuantityInput')
export class SkuQuantityInput {
  @Field(() => String)
  sku!: string;

  @Field(() => DecimalScalar)
  quantity!: string;
}

@InputType('CreatePromotionDraftInput')
export class CreatePromotionDraftInput {
  @Field(() => String, {
    nullable: true,
    description: 'Same key and input replay the first result; same key, other input: CONFLICT.',
  })
  idempotencyKey?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  customerDisplayName?: string | null;

  @Field(() => CurrencyCodeScalar, {
    defaultValue: 'EUR',
    description: 'Currency of every amount.',
  })
  currency!: string;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;

  @Field(() => ID, { nullable: true })
  fundingAgreementId?: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Vendor's share of the discount, 0..100.",
  })
  vendorSharePercent?: string | null;

  @Field(() => OfferInput)
  offer!: OfferInput;

  @Field(() => ProductScopeInput)
  scope!: ProductScopeInput;

  @Field(() => EligibilityInput)
  eligibility!: EligibilityInput;

  @Field(() => EffectiveWindowInput)
  window!: EffectiveWindowInput;

  @Field(() => StackingInput)
  stacking!: StackingInput;

  @Field(() => RedemptionLimitsInput, { nullable: true })
  limits?: RedemptionLimitsInput | null;

  @Field(() => [SkuQuantityInput], {
    nullable: true,
    description: 'Forecast units per SKU in scope.',
  })
  expectedUnits?: SkuQuantityInput[] | null;

  @Field(() => ActivationMode, {
    nullable: true,
    description:
      'How the channels go live: ALL_OR_NONE (default) in every targeted channel or in none; PER_CHANNEL each on its own acknowledgement.',
  })
  activationMode?: ActivationMode | null;
}

@InputType('UpdatePromotionDraftInput', {
  description:
    'Only the given fields change (null clears description, customerDisplayName, vendor, funding and limits). A material change (offer, scope, eligibility, window, currency, vendor, funding or activation mode) of an APPROVED or SCHEDULED promotion sends it back to DRAFT.',
})
export class UpdatePromotionDraftInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  customerDisplayName?: string | null;

  @Field(() => CurrencyCodeScalar, { nullable: true })
  currency?: string | null;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;

  @Field(() => ID, { nullable: true })
  fundingAgreementId?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  vendorSharePercent?: string | null;

  @Field(() => OfferInput, { nullable: true })
  offer?: OfferInput | null;

  @Field(() => ProductScopeInput, { nullable: true })
  scope?: ProductScopeInput | null;

  @Field(() => EligibilityInput, { nullable: true })
  eligibility?: EligibilityInput | null;

  @Field(() => EffectiveWindowInput, { nullable: true })
  window?: EffectiveWindowInput | null;

  @Field(() => StackingInput, { nullable: true })
  stacking?: StackingInput | null;

  @Field(() => RedemptionLimitsInput, { nullable: true })
  limits?: RedemptionLimitsInput | null;

  @Field(() => [SkuQuantityInput], { nullable: true })
  expectedUnits?: SkuQuantityInput[] | null;

  @Field(() => ActivationMode, {
    nullable: true,
    description: 'A material change (ALL_OR_NONE or PER_CHANNEL); null keeps the current mode.',
  })
  activationMode?: ActivationMode | null;
}

@InputType('SuspensionInput')
export class SuspensionInput {
  @Field(() => SuspensionReason)
  code!: SuspensionReason;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType('ApprovalOverrideInput', { description: 'Approve despite a failed readiness gate.' })
export class ApprovalOverrideInput {
  @Field(() => String)
  reason!: string;
}

@InputType('PromotionFilter', { description: 'Every given criterion must match (lists: any of).' })
export class PromotionFilter {
  @Field(() => [PromotionState], { nullable: true })
  states?: PromotionState[] | null;

  @Field(() => [SalesChannel], { nullable: true })
  channels?: SalesChannel[] | null;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;

  @Field(() => String, { nullable: true, description: 'In the explicit SKU scope.' })
  sku?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Live (isLiveAt) at this instant.' })
  liveAt?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive, in name or descriptions.',
  })
  text?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "In this product category (Product.category): its scope names it, or a SKU of its scope is in it (the ERP's product master, read when asked).",
  })
  categoryId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Eligible in this region (Location.regionId): it names the region or one of its stores, or is valid in every store.',
  })
  regionId?: string | null;
}
