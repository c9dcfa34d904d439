import { Big, roundMoney, toBig } from './money.ts';
import {
  FundingType,
  type AgreementRecord,
  type ListPrice,
  type MoneyValue,
} from './funding-agreement.model.ts';
import { remainingOf } from './funding-status.ts';
import { FindingSeverity } from '../shared/canonical/enums.ts';

/** Declaration order is the order violations and findings are reported in. */
export enum FundingViolation {
  NO_AGREEMENT = 'NO_AGREEMENT',
  NOT_RELEASED = 'NOT_RELEASED',
  OUTSIDE_VALIDITY = 'OUTSIDE_VALIDITY',
  SKU_NOT_ELIGIBLE = 'SKU_NOT_ELIGIBLE',
  LOCATION_NOT_ELIGIBLE = 'LOCATION_NOT_ELIGIBLE',
  CAP_EXCEEDED = 'CAP_EXCEEDED',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  VENDOR_MISMATCH = 'VENDOR_MISMATCH',
}
const ORDER = Object.values(FundingViolation);

/** The promotion terms funding reads (the `@requires` selection), as they arrive in a representation. */
export type FundingTerms = {
  vendorId?: string | null;
  fundingAgreementId?: string | null;
  vendorSharePercent?: string | null;
  skus?: string[] | null;
  locationIds?: string[] | null;
  startsAt?: string | null;
  endsAt?: string | null;
  currency?: string | null;
  offerKind?: string | null;
  percentOff?: string | null;
  amountOff?: MoneyValue | null;
  fixedPrice?: MoneyValue | null;
  expectedUnitsBySku?: { sku: string; quantity: string }[] | null;
};

export type FundingFinding = {
  code: FundingViolation;
  sku: null;
  locationId: null;
  message: string;
  severity: FindingSeverity;
  evidence: { name: string; value: string }[];
};

export type FundingCheckResult = {
  passed: boolean;
  summary: string;
  findings: FundingFinding[];
  violations: FundingViolation[];
  agreementId: string | null;
  expectedVendorCost: MoneyValue | null;
  remainingAfter: MoneyValue | null;
};

export type FundingCheckInput = {
  terms: FundingTerms;
  /** The agreement named by `terms.fundingAgreementId`, `null` when there is none or it does not exist. */
  agreement: AgreementRecord | null;
  /** List price per unit by SKU, for the SKUs `listPricesNeeded` named. */
  listPrices?: ReadonlyMap<string, ListPrice | null>;
  /** Product group by SKU, for the SKUs `productGroupsNeeded` named. */
  productGroups?: ReadonlyMap<string, string | null>;
};

type CostBasis =
  { kind: 'PER_UNIT'; amountPerUnit: Big } | { kind: 'SHARE'; share: Big } | { kind: 'NONE' };

/**
 * Basis of the expected vendor cost:
 * - SCAN_BACK agreements with an amount per unit: Σ expected units × amount per unit.
 * - otherwise a share: the promotion's `vendorSharePercent`, else the agreement's `sharePercent`;
 *   Σ expected units × discount per unit × share / 100, where the discount per unit is
 *   `amountOff` (AMOUNT_OFF), list price × percentOff / 100 (PERCENT_OFF) or
 *   max(0, list price − fixedPrice) (FIXED_PRICE). Funding does not price: the list price is the
 *   ERP's chain-wide regular price on the promotion's first day (UTC), read through the list-price port.
 * - no share and no per-unit amount, or another offer kind: not estimated.
 */
function costBasis(terms: FundingTerms, agreement: AgreementRecord): CostBasis {
  const perUnit = toBig(agreement.amountPerUnit);
  if (agreement.type === FundingType.SCAN_BACK && perUnit)
    return { kind: 'PER_UNIT', amountPerUnit: perUnit };
  const share = toBig(terms.vendorSharePercent) ?? toBig(agreement.sharePercent);
  return share ? { kind: 'SHARE', share } : { kind: 'NONE' };
}

function unitsBySku(terms: FundingTerms): { sku: string; units: Big }[] {
  return (terms.expectedUnitsBySku ?? []).map((e) => ({
    sku: e.sku,
    units: toBig(e.quantity) ?? new Big(0),
  }));
}

/** SKUs whose list price the check needs (PERCENT_OFF and FIXED_PRICE on a share basis). */
export function listPricesNeeded(terms: FundingTerms, agreement: AgreementRecord | null): string[] {
  if (!terms.vendorId || !agreement) return [];
  if (terms.offerKind !== 'PERCENT_OFF' && terms.offerKind !== 'FIXED_PRICE') return [];
  if (costBasis(terms, agreement).kind !== 'SHARE') return [];
  return [...new Set(unitsBySku(terms).map((u) => u.sku))];
}

/** SKUs whose product group decides eligibility (not named explicitly, agreement has group criteria). */
export function productGroupsNeeded(
  terms: FundingTerms,
  agreement: AgreementRecord | null,
): string[] {
  if (!terms.vendorId || !agreement) return [];
  const e = agreement.eligibility;
  if (e.productGroupIds.length === 0 && e.excludedProductGroupIds.length === 0) return [];
  const explicit = new Set(e.skus);
  const excluded = new Set(e.excludedSkus);
  return [...new Set(terms.skus ?? [])].filter(
    (sku) => !excluded.has(sku) && (!explicit.has(sku) || e.excludedProductGroupIds.length > 0),
  );
}

/** UTC calendar day of an instant; `endExclusive` counts an end instant as the moment after the last day. */
function utcDay(instant: string | null | undefined, endExclusive = false): string | undefined {
  if (!instant) return undefined;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return undefined;
  return new Date(endExclusive ? ms - 1 : ms).toISOString().slice(0, 10);
}

/** The UTC day prices are read for: the promotion's first day. */
export function priceDay(terms: FundingTerms): string | undefined {
  return utcDay(terms.startsAt);
}

function isSkuEligible(
  sku: string,
  agreement: AgreementRecord,
  groups: ReadonlyMap<string, string | null>,
): boolean {
  const e = agreement.eligibility;
  const group = groups.get(sku) ?? null;
  if (e.excludedSkus.includes(sku)) return false;
  if (group !== null && e.excludedProductGroupIds.includes(group)) return false;
  if (e.skus.length === 0 && e.productGroupIds.length === 0) return true;
  return e.skus.includes(sku) || (group !== null && e.productGroupIds.includes(group));
}

/**
 * Evaluates a promotion's vendor funding against its agreement. Pure: every ERP read (agreement,
 * list prices, product groups) is done before and passed in. Rules:
 * - no `vendorId`: passes, "not vendor funded", nothing else is checked;
 * - NO_AGREEMENT: no `fundingAgreementId`, or it does not exist (nothing else is checked);
 * - VENDOR_MISMATCH: the agreement belongs to another vendor (nothing else is checked or said
 *   about it: not its owner, coverage, validity or budget);
 * - NOT_RELEASED: the agreement is not released (draft, locked for settlement, unknown code);
 * - OUTSIDE_VALIDITY: the promotion's days (UTC; `endsAt` exclusive) are not all within
 *   validFrom..validTo;
 * - SKU_NOT_ELIGIBLE: a promotion SKU is excluded, or the agreement names SKUs / product groups and
 *   the SKU matches neither;
 * - LOCATION_NOT_ELIGIBLE: a promotion location is excluded or not among the agreement's plants; a
 *   promotion at every location (no ids) fails when the agreement restricts locations at all;
 * - CURRENCY_MISMATCH: the promotion currency (or its amountOff / fixedPrice currency) differs from
 *   the agreement currency; the cap is then not compared;
 * - CAP_EXCEEDED: expected vendor cost > remaining (only with a cap and a cost in the agreement
 *   currency). `remainingAfter = remaining − cost` (negative when exceeded).
 * Amounts are big.js, rounded half-up to 2 dp at the end. One finding per violation.
 */
export function evaluateFundingCheck(input: FundingCheckInput): FundingCheckResult {
  const { terms, agreement } = input;
  if (!terms.vendorId) {
    return result([], 'not vendor funded', null, null, null);
  }
  const found = new Map<FundingViolation, string>();
  if (!agreement) {
    found.set(
      FundingViolation.NO_AGREEMENT,
      terms.fundingAgreementId
        ? `funding agreement ${terms.fundingAgreementId} does not exist`
        : `promotion is funded by vendor ${terms.vendorId} but names no funding agreement`,
    );
    return withFindings(found, null, null, null);
  }
  const id = agreement.id;
  if (agreement.vendorId !== terms.vendorId) {
    // Another vendor's agreement: say only that it is not this vendor's. Its owner, validity,
    // covered SKUs and locations, currency and remaining budget are that vendor's business, and
    // the report is stored on the promotion, which the promotion's own vendor (a partner) reads.
    found.set(
      FundingViolation.VENDOR_MISMATCH,
      `agreement ${id} is not an agreement of vendor ${terms.vendorId}`,
    );
    return withFindings(found, id, null, null);
  }
  if (agreement.activation !== 'RELEASED') {
    found.set(FundingViolation.NOT_RELEASED, `agreement ${id} is not released`);
  }
  const first = utcDay(terms.startsAt);
  const last = utcDay(terms.endsAt, true);
  const lastDay = first && last && last < first ? first : last;
  if (!first || !lastDay || first < agreement.validFrom || lastDay > agreement.validTo) {
    found.set(
      FundingViolation.OUTSIDE_VALIDITY,
      `promotion runs ${first ?? '?'}..${lastDay ?? '?'}, agreement ${id} is valid ${agreement.validFrom}..${agreement.validTo}`,
    );
  }
  const groups = input.productGroups ?? new Map<string, string | null>();
  const badSkus = [...new Set(terms.skus ?? [])].filter(
    (sku) => !isSkuEligible(sku, agreement, groups),
  );
  if (badSkus.length) {
    found.set(
      FundingViolation.SKU_NOT_ELIGIBLE,
      `SKUs not eligible under agreement ${id}: ${badSkus.join(', ')}`,
    );
  }
  const locationProblem = locationViolation(terms.locationIds ?? [], agreement);
  if (locationProblem) found.set(FundingViolation.LOCATION_NOT_ELIGIBLE, locationProblem);

  const promoCurrencies = new Set(
    [terms.currency, terms.amountOff?.currency, terms.fixedPrice?.currency].filter(
      (c): c is string => !!c,
    ),
  );
  const foreign = [...promoCurrencies].filter((c) => c !== agreement.currency);
  if (foreign.length) {
    found.set(
      FundingViolation.CURRENCY_MISMATCH,
      `promotion currency ${foreign.join(', ')} differs from agreement ${id} currency ${agreement.currency}`,
    );
  }

  const cost = expectedCost(terms, agreement, input.listPrices ?? new Map());
  let remainingAfter: MoneyValue | null = null;
  const remaining = remainingOf(agreement);
  if (
    'amount' in cost &&
    remaining !== null &&
    cost.currency === agreement.currency &&
    !foreign.length
  ) {
    const after = remaining.minus(cost.amount);
    remainingAfter = { amount: roundMoney(after), currency: agreement.currency };
    if (after.lt(0)) {
      found.set(
        FundingViolation.CAP_EXCEEDED,
        `expected vendor cost ${roundMoney(cost.amount)} ${cost.currency} exceeds the ${roundMoney(remaining)} ${agreement.currency} remaining on agreement ${id}`,
      );
    }
  }
  const costMoney =
    'amount' in cost ? { amount: roundMoney(cost.amount), currency: cost.currency } : null;
  const note = 'reason' in cost ? cost.reason : undefined;
  return withFindings(found, id, costMoney, remainingAfter, note);
}

function locationViolation(locationIds: string[], agreement: AgreementRecord): string | undefined {
  const e = agreement.eligibility;
  const id = agreement.id;
  if (locationIds.length === 0) {
    if (e.locationIds.length)
      return `promotion runs at every location, agreement ${id} covers only ${e.locationIds.join(', ')}`;
    if (e.excludedLocationIds.length) {
      return `promotion runs at every location, agreement ${id} excludes ${e.excludedLocationIds.join(', ')}`;
    }
    return undefined;
  }
  const bad = [...new Set(locationIds)].filter(
    (l) =>
      e.excludedLocationIds.includes(l) || (e.locationIds.length > 0 && !e.locationIds.includes(l)),
  );
  return bad.length ? `locations not eligible under agreement ${id}: ${bad.join(', ')}` : undefined;
}

type Cost = { amount: Big; currency: string } | { reason: string };

function expectedCost(
  terms: FundingTerms,
  agreement: AgreementRecord,
  prices: ReadonlyMap<string, ListPrice | null>,
): Cost {
  const basis = costBasis(terms, agreement);
  const units = unitsBySku(terms);
  if (basis.kind === 'PER_UNIT') {
    const total = units.reduce(
      (sum, u) => sum.plus(u.units.times(basis.amountPerUnit)),
      new Big(0),
    );
    return { amount: total, currency: agreement.currency };
  }
  if (basis.kind === 'NONE')
    return { reason: `agreement ${agreement.id} has no share or per-unit amount` };
  const currency = terms.currency ?? agreement.currency;
  const factor = basis.share.div(100);
  if (terms.offerKind === 'AMOUNT_OFF') {
    const off = toBig(terms.amountOff?.amount);
    if (!off) return { reason: 'the offer has no amountOff' };
    const total = units.reduce((sum, u) => sum.plus(u.units.times(off)), new Big(0)).times(factor);
    return { amount: total, currency: terms.amountOff?.currency ?? currency };
  }
  if (terms.offerKind === 'PERCENT_OFF' || terms.offerKind === 'FIXED_PRICE') {
    const percent = toBig(terms.percentOff);
    const fixed = toBig(terms.fixedPrice?.amount);
    if (terms.offerKind === 'PERCENT_OFF' && !percent)
      return { reason: 'the offer has no percentOff' };
    if (terms.offerKind === 'FIXED_PRICE' && !fixed)
      return { reason: 'the offer has no fixedPrice' };
    const missing = units.filter((u) => {
      const p = prices.get(u.sku);
      return !p || p.currency !== currency || !toBig(p.amount);
    });
    if (missing.length)
      return { reason: `no list price in ${currency} for ${missing.map((u) => u.sku).join(', ')}` };
    let total = new Big(0);
    for (const u of units) {
      const price = toBig(prices.get(u.sku)!.amount)!;
      const off = percent ? price.times(percent).div(100) : price.minus(fixed!);
      total = total.plus(u.units.times(off.lt(0) ? new Big(0) : off));
    }
    return { amount: total.times(factor), currency };
  }
  return { reason: `vendor cost of ${terms.offerKind ?? 'unknown'} offers is not estimated` };
}

function withFindings(
  found: Map<FundingViolation, string>,
  agreementId: string | null,
  expectedVendorCost: MoneyValue | null,
  remainingAfter: MoneyValue | null,
  note?: string,
): FundingCheckResult {
  const violations = ORDER.filter((v) => found.has(v));
  let summary: string;
  if (violations.length) {
    summary = `funding check failed: ${violations.join(', ')}`;
  } else if (expectedVendorCost) {
    summary =
      `funded by agreement ${agreementId}: expected vendor cost ${expectedVendorCost.amount} ${expectedVendorCost.currency}` +
      (remainingAfter
        ? `, ${remainingAfter.amount} ${remainingAfter.currency} remaining after`
        : '');
  } else {
    summary = `funded by agreement ${agreementId}; vendor cost not estimated: ${note ?? 'unknown'}`;
  }
  return {
    ...result(
      violations.map((v) => ({
        code: v,
        sku: null,
        locationId: null,
        message: found.get(v)!,
        severity: FindingSeverity.BLOCKING,
        evidence: [],
      })),
      summary,
      agreementId,
      expectedVendorCost,
      remainingAfter,
    ),
    violations,
  };
}

function result(
  findings: FundingFinding[],
  summary: string,
  agreementId: string | null,
  expectedVendorCost: MoneyValue | null,
  remainingAfter: MoneyValue | null,
): FundingCheckResult {
  return {
    passed: findings.length === 0,
    summary,
    findings,
    violations: findings.map((f) => f.code),
    agreementId,
    expectedVendorCost,
    remainingAfter,
  };
}
