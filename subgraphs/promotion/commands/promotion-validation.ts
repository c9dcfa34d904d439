import Big from 'big.js';
import { badUserInput, type InputProblem } from '../../shared/errors.ts';
import { OfferKind } from '../../shared/canonical/enums.ts';
import type {
  MoneyValue,
  OfferData,
  PromotionContent,
  ScopeData,
} from '../model/promotion.model.ts';
import type { FundingAgreementDirectory } from '../readiness/subgraph-funding.adapter.ts';
import type { ReadOptions } from '../../shared/cache/read-options.ts';
import { hasTermScope, matchScope, type ProductFacts } from '../model/scope-terms.ts';

/** What a scope names beyond SKUs, as the product master knows them. */
export type ScopeIdKind = 'category' | 'brand' | 'node';

/** Reference data the draft must agree with (the ERP product master, via erp-product.adapter.ts). */
export type ProductMaster = {
  /** The given SKUs the product master does not know, in input order. */
  unknownSkus(skus: readonly string[]): Promise<string[]>;
  /**
   * The given categories, brands or hierarchy nodes no product of the product master is in, in
   * input order (one bounded call per id).
   */
  unknownScopeIds(kind: ScopeIdKind, ids: readonly string[]): Promise<string[]>;
  /**
   * Each SKU's category, brand and hierarchy nodes, in input order; null for a SKU the product
   * master does not know (or marks for deletion). Eligibility reads it through the cache.
   */
  productFacts(skus: readonly string[], options?: ReadOptions): Promise<(ProductFacts | null)[]>;
  /** The given location ids that are not plants, in input order. */
  unknownLocations(ids: readonly string[]): Promise<string[]>;
  /**
   * The products in a category (the ERP's product group), brand or hierarchy node, at most
   * `limit` of them; none for an unknown id. Scope expansion and the category filter read it.
   */
  productsIn(kind: ScopeIdKind, id: string, limit: number): Promise<ProductFacts[]>;
  /** The locations (plants) of a region; none for an unknown one. */
  locationsInRegion(regionId: string): Promise<string[]>;
};

export const LIMITS = {
  nameMax: 200,
  descriptionMax: 4000,
  displayNameMax: 200,
  scopeSkusMax: 1000,
  /** Categories, brands or hierarchy nodes per list (each is one ERP call to check). */
  scopeTermsMax: 50,
  priorityMax: 1000,
  percentDecimals: 3,
} as const;

const OFFER_FIELD: Record<OfferKind, keyof OfferData> = {
  [OfferKind.PERCENT_OFF]: 'percentOff',
  [OfferKind.AMOUNT_OFF]: 'amountOff',
  [OfferKind.FIXED_PRICE]: 'fixedPrice',
  [OfferKind.BUY_X_GET_Y]: 'buyXGetY',
  [OfferKind.BUNDLE_PRICE]: 'bundle',
};

/** Each scope list with its exclusion list. */
const SCOPE_LISTS = [
  ['skus', 'excludedSkus'],
  ['categoryIds', 'excludedCategoryIds'],
  ['brandIds', 'excludedBrandIds'],
  ['hierarchyNodeIds', 'excludedHierarchyNodeIds'],
] as const satisfies readonly (readonly [keyof ScopeData, keyof ScopeData])[];

/** The scope's category, brand and hierarchy-node lists, by the kind the product master checks. */
const TERM_LISTS = [
  ['category', 'categoryIds'],
  ['category', 'excludedCategoryIds'],
  ['brand', 'brandIds'],
  ['brand', 'excludedBrandIds'],
  ['node', 'hierarchyNodeIds'],
  ['node', 'excludedHierarchyNodeIds'],
] as const satisfies readonly (readonly [ScopeIdKind, keyof ScopeData])[];

const decimals = (value: string): number => (new Big(value).toFixed().split('.')[1] ?? '').length;
const duplicates = (values: readonly string[]): string[] => [
  ...new Set(values.filter((v, i) => values.indexOf(v) !== i)),
];

type Check = (field: string, message: string) => void;

function checkPercent(add: Check, field: string, value: string): void {
  const v = new Big(value);
  if (v.lte(0) || v.gt(100)) add(field, 'must be greater than 0 and at most 100');
  else if (decimals(value) > LIMITS.percentDecimals)
    add(field, 'must have at most 3 decimal places');
}

function checkMoney(add: Check, field: string, value: MoneyValue, currency: string): void {
  if (new Big(value.amount).lte(0)) add(`${field}.amount`, 'must be greater than 0');
  if (value.currency !== currency) {
    add(`${field}.currency`, `must be ${currency}, the promotion currency`);
  }
}

function checkAtLeastOne(add: Check, field: string, value: number | null | undefined): void {
  if (value != null && value < 1) add(field, 'must be at least 1');
}

function checkOffer(add: Check, offer: OfferData, currency: string): void {
  const expected = OFFER_FIELD[offer.kind];
  for (const field of Object.values(OFFER_FIELD)) {
    const set = offer[field] !== null;
    if (field === expected && !set) {
      add(`input.offer.${field}`, `is required when kind is ${offer.kind}`);
    } else if (field !== expected && set) {
      add(`input.offer.${field}`, `must not be set when kind is ${offer.kind}`);
    }
  }
  if (offer.percentOff !== null) checkPercent(add, 'input.offer.percentOff', offer.percentOff);
  if (offer.amountOff) checkMoney(add, 'input.offer.amountOff', offer.amountOff, currency);
  if (offer.fixedPrice) checkMoney(add, 'input.offer.fixedPrice', offer.fixedPrice, currency);
  const bxgy = offer.buyXGetY;
  if (bxgy) {
    checkAtLeastOne(add, 'input.offer.buyXGetY.buyQuantity', bxgy.buyQuantity);
    checkAtLeastOne(add, 'input.offer.buyXGetY.getQuantity', bxgy.getQuantity);
    checkPercent(add, 'input.offer.buyXGetY.getDiscountPercent', bxgy.getDiscountPercent);
    checkAtLeastOne(
      add,
      'input.offer.buyXGetY.maxApplicationsPerOrder',
      bxgy.maxApplicationsPerOrder,
    );
  }
  if (offer.bundle) {
    const { components, bundlePrice } = offer.bundle;
    if (components.length < 2)
      add('input.offer.bundle.components', 'must have at least 2 components');
    components.forEach((c, i) => {
      const field = `input.offer.bundle.components[${i}]`;
      if ((c.sku === null) === (c.categoryId === null)) {
        add(field, 'must set exactly one of sku or categoryId');
      }
      checkAtLeastOne(add, `${field}.quantity`, c.quantity);
    });
    checkMoney(add, 'input.offer.bundle.bundlePrice', bundlePrice, currency);
  }
  const min = offer.minimumRequirement;
  if (min?.subtotal)
    checkMoney(add, 'input.offer.minimumRequirement.subtotal', min.subtotal, currency);
  if (min) checkAtLeastOne(add, 'input.offer.minimumRequirement.quantity', min.quantity);
}

export type ValidationOptions = {
  now: Date;
  /** endsAt must not be in the past (new drafts, and updates that change the window). */
  checkEndsAtNotPast: boolean;
};

/** Every local rule; the returned list is empty when the content is valid. */
export function validateContent(c: PromotionContent, options: ValidationOptions): InputProblem[] {
  const problems: InputProblem[] = [];
  const add: Check = (field, message) => problems.push({ field, message });

  const name = c.name.trim();
  if (name.length < 1 || c.name.length > LIMITS.nameMax)
    add('input.name', 'must be 1 to 200 characters');
  if (c.description !== null && c.description.length > LIMITS.descriptionMax) {
    add('input.description', 'must be at most 4000 characters');
  }
  if (c.customerDisplayName !== null && c.customerDisplayName.length > LIMITS.displayNameMax) {
    add('input.customerDisplayName', 'must be at most 200 characters');
  }
  if (c.fundingAgreementId !== null && c.vendorId === null) {
    add('input.fundingAgreementId', 'must not be set without vendorId');
  }
  if (c.vendorSharePercent !== null) {
    const share = new Big(c.vendorSharePercent);
    if (share.lt(0) || share.gt(100)) add('input.vendorSharePercent', 'must be between 0 and 100');
  }

  const startsAt = Date.parse(c.window.startsAt);
  const endsAt = Date.parse(c.window.endsAt);
  if (!(startsAt < endsAt)) add('input.window.endsAt', 'must be after startsAt');
  if (options.checkEndsAtNotPast && endsAt <= options.now.getTime()) {
    add('input.window.endsAt', 'must not be in the past');
  }

  checkOffer(add, c.offer, c.currency);

  const { scope } = c;
  if (scope.skus.length === 0 && !hasTermScope(scope)) {
    add('input.scope', 'must name at least one SKU, category, brand or hierarchy node');
  }
  if (scope.skus.length > LIMITS.scopeSkusMax)
    add('input.scope.skus', 'must have at most 1000 SKUs');
  for (const [field, excludedField] of SCOPE_LISTS) {
    const max = field === 'skus' ? LIMITS.scopeSkusMax : LIMITS.scopeTermsMax;
    for (const name of [field, excludedField]) {
      const values = scope[name];
      if (name !== 'skus' && values.length > max) {
        add(`input.scope.${name}`, `must have at most ${max} entries`);
      }
      const dup = duplicates(values);
      if (dup.length) add(`input.scope.${name}`, `must not contain duplicates: ${dup.join(', ')}`);
    }
    const inc = new Set(scope[field]);
    const both = [...new Set(scope[excludedField].filter((s) => inc.has(s)))];
    if (both.length) {
      add(`input.scope.${excludedField}`, `must not also be included: ${both.join(', ')}`);
    }
  }
  const included = new Set(scope.skus);

  const { channels } = c.eligibility;
  if (channels.length === 0) add('input.eligibility.channels', 'must name at least one channel');
  const dupChannels = duplicates(channels);
  if (dupChannels.length) {
    add('input.eligibility.channels', `must not contain duplicates: ${dupChannels.join(', ')}`);
  }

  const { priority } = c.stacking;
  if (priority < 0 || priority > LIMITS.priorityMax) {
    add('input.stacking.priority', 'must be between 0 and 1000');
  }

  if (c.limits) {
    for (const key of ['maxRedemptions', 'maxRedemptionsPerCustomer', 'maxPerOrder'] as const) {
      const value = c.limits[key];
      if (value !== null && value <= 0) add(`input.limits.${key}`, 'must be greater than 0');
    }
    if (c.limits.budget) checkMoney(add, 'input.limits.budget', c.limits.budget, c.currency);
  }

  const unitSkus = c.expectedUnits.map((u) => u.sku);
  // With categories, brands or nodes in scope the product master decides (checkReferences).
  const outOfScope = [...new Set(unitSkus.filter((s) => !included.has(s)))];
  if (outOfScope.length && !hasTermScope(scope)) {
    add('input.expectedUnits', `SKUs not in scope: ${outOfScope.join(', ')}`);
  }
  const dupUnits = duplicates(unitSkus);
  if (dupUnits.length) add('input.expectedUnits', `must not repeat SKUs: ${dupUnits.join(', ')}`);
  c.expectedUnits.forEach((u, i) => {
    if (new Big(u.quantity).lt(0))
      add(`input.expectedUnits[${i}].quantity`, 'must not be negative');
  });
  return problems;
}

/** Which references to check against the product master (an update checks only new ones). */
export type ReferenceSelection = { skus: boolean; locations: boolean };

/** Checks SKUs and locations against the product master; back-end errors propagate. */
export async function checkReferences(
  c: PromotionContent,
  master: ProductMaster,
  selection: ReferenceSelection = { skus: true, locations: true },
): Promise<InputProblem[]> {
  const bundleSkus = (c.offer.bundle?.components ?? []).flatMap((b) => (b.sku ? [b.sku] : []));
  const skuGroups: [string, string[]][] = selection.skus
    ? [
        ['input.scope.skus', c.scope.skus],
        ['input.scope.excludedSkus', c.scope.excludedSkus],
        ['input.offer.bundle.components', bundleSkus],
      ]
    : [];
  const allSkus = [...new Set(skuGroups.flatMap(([, skus]) => skus))];
  const locations = selection.locations ? [...new Set(c.eligibility.locationIds)] : [];
  const [unknownSkus, unknownLocations] = await Promise.all([
    allSkus.length ? master.unknownSkus(allSkus) : Promise.resolve([]),
    locations.length ? master.unknownLocations(locations) : Promise.resolve([]),
  ]);
  const problems: InputProblem[] = [];
  if (selection.skus) problems.push(...(await unknownScopeIds(c.scope, master)));
  problems.push(...(await expectedUnitsOutOfScope(c, master)));
  const unknown = new Set(unknownSkus);
  for (const [field, skus] of skuGroups) {
    const missing = [...new Set(skus.filter((s) => unknown.has(s)))];
    if (missing.length) problems.push({ field, message: `unknown SKUs: ${missing.join(', ')}` });
  }
  if (unknownLocations.length) {
    problems.push({
      field: 'input.eligibility.locationIds',
      message: `unknown locations: ${unknownLocations.join(', ')}`,
    });
  }
  return problems;
}

/** Categories, brands and hierarchy nodes (included or excluded) no product is in. */
async function unknownScopeIds(scope: ScopeData, master: ProductMaster): Promise<InputProblem[]> {
  const answers = await Promise.all(
    TERM_LISTS.map(([kind, field]) =>
      scope[field].length ? master.unknownScopeIds(kind, scope[field]) : Promise.resolve([]),
    ),
  );
  const words = { category: 'categories', brand: 'brands', node: 'hierarchy nodes' } as const;
  return TERM_LISTS.flatMap(([kind, field], i) =>
    answers[i]!.length
      ? [
          {
            field: `input.scope.${field}`,
            message: `unknown ${words[kind]}: ${answers[i]!.join(', ')}`,
          },
        ]
      : [],
  );
}

/**
 * With categories, brands or nodes in scope, an expected-units SKU that is not named explicitly
 * must be in the scope by its product facts (the product master decides).
 */
async function expectedUnitsOutOfScope(
  c: PromotionContent,
  master: ProductMaster,
): Promise<InputProblem[]> {
  if (!hasTermScope(c.scope)) return [];
  const named = new Set(c.scope.skus);
  const others = [...new Set(c.expectedUnits.map((u) => u.sku).filter((s) => !named.has(s)))];
  if (!others.length) return [];
  const facts = await master.productFacts(others);
  const out = others.filter((sku, i) => matchScope(c.scope, sku, facts[i]) !== 'IN');
  return out.length
    ? [{ field: 'input.expectedUnits', message: `SKUs not in scope: ${out.join(', ')}` }]
    : [];
}

/** The agreement a partner names must be its own vendor's (subgraph-funding.adapter.ts). */
export type FundingAgreementCheck = { directory: FundingAgreementDirectory; vendorId: string };

/**
 * A partner naming a funding agreement that is not its own vendor's gets exactly the answer of an
 * agreement that does not exist (so agreement ids cannot be probed): `unknown funding agreement`.
 * Back-end errors propagate (BACKEND_UNAVAILABLE): the draft is refused, not written.
 */
export async function checkFundingAgreement(
  c: PromotionContent,
  check: FundingAgreementCheck | undefined,
): Promise<InputProblem[]> {
  if (!check || c.fundingAgreementId === null) return [];
  const owner = await check.directory.vendorOf(c.fundingAgreementId);
  if (owner !== null && owner === check.vendorId) return [];
  return [
    {
      field: 'input.fundingAgreementId',
      message: `unknown funding agreement: ${c.fundingAgreementId}`,
    },
  ];
}

export function invalidInput(problems: InputProblem[]): Error {
  const n = problems.length;
  return badUserInput(`Invalid promotion input (${n} problem${n === 1 ? '' : 's'})`, problems);
}

/** Local rules, then the product master; throws BAD_USER_INPUT listing every problem. */
export async function validateDraft(
  content: PromotionContent,
  master: ProductMaster,
  options: ValidationOptions & {
    references?: ReferenceSelection;
    /** Set for a partner naming a (new) funding agreement. */
    fundingAgreement?: FundingAgreementCheck;
  },
): Promise<void> {
  const problems = validateContent(content, options);
  const [references, funding] = await Promise.all([
    checkReferences(content, master, options.references),
    checkFundingAgreement(content, options.fundingAgreement),
  ]);
  problems.push(...references, ...funding);
  if (problems.length) throw invalidInput(problems);
}

/** BAD_USER_INPUT when a required text (a reason, a name) is empty or blank. */
export function requireText(field: string, value: string): void {
  if (!value.trim()) throw invalidInput([{ field, message: 'must not be empty' }]);
}
