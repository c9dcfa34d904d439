import type {
  CreatePromotionDraftInput,
  EffectiveWindowInput,
  EligibilityInput,
  MoneyInput,
  OfferInput,
  ProductScopeInput,
  RedemptionLimitsInput,
  SkuQuantityInput,
  StackingInput,
  UpdatePromotionDraftInput,
} from '../graph/promotion-input.type.ts';
import type {
  EligibilityData,
  LimitsData,
  MoneyValue,
  OfferData,
  PromotionContent,
  ScopeData,
  SkuQuantityData,
  StackingData,
  WindowData,
} from '../model/promotion.model.ts';
import {
  ActivationMode,
  DiscountClass,
  ItemSelection,
  WindowMode,
} from '../model/promotion-enums.ts';

/**
 * Critical fields (the SAP TPM "critical changes" pattern): changing one of them on an APPROVED or
 * SCHEDULED promotion sends it back to DRAFT for re-approval, and is refused once it is ACTIVE or
 * SUSPENDED (activationMode too: it decides how the channels go live). Every other field (name, description, customerDisplayName, stacking, limits,
 * expectedUnits) is a non-material edit that keeps the state (published channels get the new
 * version).
 */
export const CRITICAL_FIELDS: ReadonlySet<keyof PromotionContent> = new Set([
  'offer',
  'scope',
  'eligibility',
  'window',
  'currency',
  'vendorId',
  'fundingAgreementId',
  'vendorSharePercent',
  'activationMode',
] as const);

const money = (m: MoneyInput | null | undefined): MoneyValue | null =>
  m ? { amount: m.amount, currency: m.currency } : null;

const list = <T>(values: readonly T[] | null | undefined): T[] => (values ? [...values] : []);

export function offerFrom(input: OfferInput): OfferData {
  return {
    kind: input.kind,
    percentOff: input.percentOff ?? null,
    amountOff: money(input.amountOff),
    fixedPrice: money(input.fixedPrice),
    buyXGetY: input.buyXGetY
      ? {
          buyQuantity: input.buyXGetY.buyQuantity,
          getQuantity: input.buyXGetY.getQuantity,
          getDiscountPercent: input.buyXGetY.getDiscountPercent,
          selection: input.buyXGetY.selection ?? ItemSelection.CHEAPEST,
          maxApplicationsPerOrder: input.buyXGetY.maxApplicationsPerOrder ?? null,
        }
      : null,
    bundle: input.bundle
      ? {
          components: input.bundle.components.map((c) => ({
            sku: c.sku ?? null,
            categoryId: c.categoryId ?? null,
            quantity: c.quantity,
          })),
          bundlePrice: money(input.bundle.bundlePrice)!,
        }
      : null,
    minimumRequirement: input.minimumRequirement
      ? {
          subtotal: money(input.minimumRequirement.subtotal),
          quantity: input.minimumRequirement.quantity ?? null,
        }
      : null,
  };
}

export function scopeFrom(input: ProductScopeInput): ScopeData {
  return {
    skus: list(input.skus),
    categoryIds: list(input.categoryIds),
    brandIds: list(input.brandIds),
    hierarchyNodeIds: list(input.hierarchyNodeIds),
    excludedSkus: list(input.excludedSkus),
    excludedCategoryIds: list(input.excludedCategoryIds),
    excludedBrandIds: list(input.excludedBrandIds),
    excludedHierarchyNodeIds: list(input.excludedHierarchyNodeIds),
  };
}

export function eligibilityFrom(input: EligibilityInput): EligibilityData {
  return {
    channels: list(input.channels),
    locationIds: list(input.locationIds),
    regionIds: list(input.regionIds),
    customerSegments: list(input.customerSegments),
    requiresCode: input.requiresCode ?? false,
  };
}

export function windowFrom(input: EffectiveWindowInput): WindowData {
  return {
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    mode: input.mode ?? WindowMode.ABSOLUTE,
  };
}

export function stackingFrom(input: StackingInput): StackingData {
  return {
    mode: input.mode,
    discountClass: input.discountClass ?? DiscountClass.PRODUCT,
    priority: input.priority,
  };
}

export function limitsFrom(input: RedemptionLimitsInput | null | undefined): LimitsData | null {
  if (!input) return null;
  return {
    maxRedemptions: input.maxRedemptions ?? null,
    maxRedemptionsPerCustomer: input.maxRedemptionsPerCustomer ?? null,
    maxPerOrder: input.maxPerOrder ?? null,
    budget: money(input.budget),
  };
}

const unitsFrom = (input: readonly SkuQuantityInput[] | null | undefined): SkuQuantityData[] =>
  list(input).map((u) => ({ sku: u.sku, quantity: u.quantity }));

export function contentFromCreateInput(input: CreatePromotionDraftInput): PromotionContent {
  return {
    name: input.name,
    description: input.description ?? null,
    customerDisplayName: input.customerDisplayName ?? null,
    currency: input.currency ?? 'EUR',
    vendorId: input.vendorId ?? null,
    fundingAgreementId: input.fundingAgreementId ?? null,
    vendorSharePercent: input.vendorSharePercent ?? null,
    offer: offerFrom(input.offer),
    scope: scopeFrom(input.scope),
    eligibility: eligibilityFrom(input.eligibility),
    window: windowFrom(input.window),
    stacking: stackingFrom(input.stacking),
    limits: limitsFrom(input.limits),
    expectedUnits: unitsFrom(input.expectedUnits),
    activationMode: input.activationMode ?? ActivationMode.ALL_OR_NONE,
  };
}

export type ContentUpdate = {
  content: PromotionContent;
  /** Fields whose value actually changed. */
  changed: Set<keyof PromotionContent>;
};

/** Applies the given fields of an update to the current content. */
export function applyUpdateInput(
  current: PromotionContent,
  input: UpdatePromotionDraftInput,
): ContentUpdate {
  const next: PromotionContent = { ...current };
  const set = <K extends keyof PromotionContent>(key: K, value: PromotionContent[K]) => {
    next[key] = value;
  };
  // Required fields ignore null (absent); nullable ones are cleared by null.
  if (input.name != null) set('name', input.name);
  if (input.description !== undefined) set('description', input.description);
  if (input.customerDisplayName !== undefined)
    set('customerDisplayName', input.customerDisplayName);
  if (input.currency != null) set('currency', input.currency);
  if (input.vendorId !== undefined) set('vendorId', input.vendorId);
  if (input.fundingAgreementId !== undefined) set('fundingAgreementId', input.fundingAgreementId);
  if (input.vendorSharePercent !== undefined) set('vendorSharePercent', input.vendorSharePercent);
  if (input.offer != null) set('offer', offerFrom(input.offer));
  if (input.scope != null) set('scope', scopeFrom(input.scope));
  if (input.eligibility != null) set('eligibility', eligibilityFrom(input.eligibility));
  if (input.window != null) set('window', windowFrom(input.window));
  if (input.stacking != null) set('stacking', stackingFrom(input.stacking));
  if (input.limits !== undefined) set('limits', limitsFrom(input.limits));
  if (input.expectedUnits !== undefined) set('expectedUnits', unitsFrom(input.expectedUnits));
  if (input.activationMode != null) set('activationMode', input.activationMode);

  const changed = new Set<keyof PromotionContent>();
  for (const key of Object.keys(next) as (keyof PromotionContent)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) changed.add(key);
  }
  return { content: next, changed };
}

export function isMaterialChange(changed: ReadonlySet<keyof PromotionContent>): boolean {
  return [...changed].some((key) => CRITICAL_FIELDS.has(key));
}

/** The content part of a record (drops id, state, channels...). */
export function contentOf(record: PromotionContent): PromotionContent {
  return {
    name: record.name,
    description: record.description,
    customerDisplayName: record.customerDisplayName,
    currency: record.currency,
    vendorId: record.vendorId,
    fundingAgreementId: record.fundingAgreementId,
    vendorSharePercent: record.vendorSharePercent,
    offer: record.offer,
    scope: record.scope,
    eligibility: record.eligibility,
    window: record.window,
    stacking: record.stacking,
    limits: record.limits,
    expectedUnits: record.expectedUnits,
    activationMode: record.activationMode,
  };
}
