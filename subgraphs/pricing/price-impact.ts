import { Big } from 'big.js';
import type { PricingAnomalyPolicy } from '../../policies/pricing-anomaly-policy.ts';
import {
  FindingSeverity,
  OfferKind,
  ReadinessArea,
  SalesChannel,
} from '../shared/canonical/enums.ts';
import { pricingAnomalies, type HistoryOf, type PricedAt } from './price-anomalies.ts';
import { marginPercentAt, minimumPriceFor } from './margin.ts';
import { roundMoney, roundPercent, toBig, type MoneyValue } from './money.ts';
import type { CostRecord } from './ports/cost-source.port.ts';
import type { PriceRecord } from './ports/price-source.port.ts';
import {
  bundleUnitPrices,
  offerMoney,
  offerProblem,
  promotionalUnitPrice,
  type OfferTerms,
} from './promotional-price.ts';

/**
 * The PRICING readiness check of a promotion, pure (prices and costs are looked up by the caller).
 *
 * - Scopes: every location of `terms.locationIds` (chain-wide prices when empty) × every channel of
 *   `terms.channels` (ECOMMERCE when empty). Each SKU is priced at each scope.
 * - Findings: `NO_PRICE` (no valid regular price at a scope), `CURRENCY_MISMATCH` (price, cost or
 *   offer amount not in the promotion currency), `BELOW_MARGIN_FLOOR` (promotional price below
 *   cost / (1 − minimum margin) at a scope), `INVALID_OFFER` (terms lacking what the offer kind needs).
 *   The check passes when there is no blocking finding. Beside them, the anomaly rules of
 *   price-anomalies.ts (BELOW_COST, CHANNEL_PRICE_MISMATCH, DEEPER_THAN_HISTORY), blocking or
 *   warning as the policy says.
 * - `perSku`: one row per priced SKU, at its binding scope: a breaching scope first, then the lowest
 *   margin at the promotional price, then the lowest promotional price. SKUs without any usable
 *   price have no row (they have findings).
 * - `expectedDiscountCost`: Σ over the rows of discountPerUnit × expected units of the SKU.
 * - A SKU without a known cost cannot breach the floor; its margin is null.
 */

export type PriceImpactTerms = OfferTerms & {
  skus: readonly string[];
  locationIds?: readonly string[] | null;
  channels?: readonly SalesChannel[] | null;
  currency: string;
  expectedUnitsBySku?: readonly { sku: string; quantity: string }[] | null;
};

export type PricingScope = { locationId: string | null; channel: SalesChannel };

export type FindingValue = {
  code: string;
  sku: string | null;
  locationId: string | null;
  message: string;
  severity: FindingSeverity;
  evidence: { name: string; value: string }[];
};

/** A finding that fails the check, with the numbers behind it. */
const blocking = (
  finding: Omit<FindingValue, 'severity' | 'evidence'>,
  evidence: FindingValue['evidence'] = [],
): FindingValue => ({ ...finding, severity: FindingSeverity.BLOCKING, evidence });

export type SkuPriceImpactValue = {
  sku: string;
  regularPrice: MoneyValue;
  promotionalPrice: MoneyValue;
  discountPerUnit: MoneyValue;
  marginAtPromoPercent: string | null;
  breachesFloor: boolean;
};

export type PriceImpactValue = {
  check: { area: ReadinessArea; passed: boolean; summary: string; findings: FindingValue[] };
  perSku: SkuPriceImpactValue[];
  expectedDiscountCost: MoneyValue;
};

export type PriceImpactInputs = {
  terms: PriceImpactTerms;
  priceOf: (sku: string, scope: PricingScope) => PriceRecord | null;
  costOf: (sku: string, locationId: string | null) => CostRecord | null;
  minimumMarginPercent: Big;
  /** Which anomaly rules block and which warn (policies/pricing-anomalies.yaml). */
  anomalies: PricingAnomalyPolicy;
  /** Every SKU's past promotional discounts in the `deeperThanHistory` lookback window. */
  historyOf: HistoryOf;
};

/** SKUs (deduplicated, in order) and scopes the check evaluates. */
export function priceImpactPlan(terms: PriceImpactTerms): {
  skus: string[];
  scopes: PricingScope[];
} {
  const skus = [...new Set(terms.skus)];
  const locations: (string | null)[] = terms.locationIds?.length
    ? [...new Set(terms.locationIds)]
    : [null];
  const channels = terms.channels?.length ? [...new Set(terms.channels)] : [SalesChannel.ECOMMERCE];
  const scopes = locations.flatMap((locationId) =>
    channels.map((channel) => ({ locationId, channel })),
  );
  return { skus, scopes };
}

const DAY_MS = 86_400_000;

/** The `lookbackDays` UTC days before the day of `startMs` (that day excluded), as dates: the
 * DEEPER_THAN_HISTORY window of a promotion starting at `startMs`. */
export function historyWindow(startMs: number, lookbackDays: number): { from: string; to: string } {
  const startDay = Math.floor(startMs / DAY_MS) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(startDay - lookbackDays * DAY_MS), to: day(startDay - DAY_MS) };
}

type Evaluation = SkuPriceImpactValue & { margin: Big | undefined; promo: Big };

export function assessPriceImpact(inputs: PriceImpactInputs): PriceImpactValue {
  const { terms, minimumMarginPercent } = inputs;
  const { skus, scopes } = priceImpactPlan(terms);
  const findings: FindingValue[] = [];
  const zero = { amount: roundMoney(new Big(0)), currency: terms.currency };

  const problem = offerProblem(terms);
  const offerAmount = offerMoney(terms);
  if (problem) {
    findings.push(
      blocking({
        code: 'INVALID_OFFER',
        sku: null,
        locationId: null,
        message: `Offer is invalid: ${problem}`,
      }),
    );
  } else if (offerAmount && offerAmount.currency !== terms.currency) {
    findings.push(
      blocking({
        code: 'CURRENCY_MISMATCH',
        sku: null,
        locationId: null,
        message: `Offer amount is in ${offerAmount.currency}, the promotion in ${terms.currency}`,
      }),
    );
  }
  if (findings.length) return result(findings, [], zero, skus.length, minimumMarginPercent);

  const evaluations = new Map<string, Evaluation[]>();
  const priced: PricedAt[] = [];
  for (const scope of scopes) {
    const where = describe(scope);
    const usable: { sku: string; price: PriceRecord }[] = [];
    for (const sku of skus) {
      const price = inputs.priceOf(sku, scope);
      if (!price) {
        findings.push(
          blocking({
            code: 'NO_PRICE',
            sku,
            locationId: scope.locationId,
            message: `No valid regular price for ${sku} ${where}`,
          }),
        );
      } else if (price.currency !== terms.currency) {
        findings.push(
          blocking({
            code: 'CURRENCY_MISMATCH',
            sku,
            locationId: scope.locationId,
            message: `Regular price of ${sku} is in ${price.currency}, the promotion in ${terms.currency} ${where}`,
          }),
        );
      } else {
        usable.push({ sku, price });
      }
    }
    const bundle =
      terms.offerKind === OfferKind.BUNDLE_PRICE
        ? bundleUnitPrices(
            usable.map((u) => ({ sku: u.sku, price: u.price.amount })),
            terms.bundlePrice!.amount,
          )
        : undefined;
    for (const { sku, price } of usable) {
      const promoText = bundle ? bundle.get(sku) : unitPrice(price, terms);
      if (promoText === undefined) continue;
      const regular = new Big(price.amount);
      const promo = new Big(promoText);
      const cost = inputs.costOf(sku, scope.locationId);
      let margin: Big | undefined;
      let breaches = false;
      if (cost && cost.currency !== price.currency) {
        findings.push(
          blocking({
            code: 'CURRENCY_MISMATCH',
            sku,
            locationId: scope.locationId,
            message: `Cost of ${sku} is in ${cost.currency}, the price in ${price.currency} ${where}`,
          }),
        );
      } else if (cost) {
        const costAmount = new Big(cost.amount);
        const floor = new Big(roundMoney(minimumPriceFor(costAmount, minimumMarginPercent)));
        margin = marginPercentAt(promo, costAmount);
        breaches = promo.lt(floor);
        if (breaches) {
          findings.push(
            blocking(
              {
                code: 'BELOW_MARGIN_FLOOR',
                sku,
                locationId: scope.locationId,
                message:
                  `Promotional price ${promoText} ${price.currency} of ${sku} is below the margin floor ` +
                  `${roundMoney(floor)} ${price.currency} ${where}`,
              },
              [
                { name: 'channel', value: scope.channel },
                { name: 'promotionalPrice', value: `${promoText} ${price.currency}` },
                { name: 'marginFloor', value: `${roundMoney(floor)} ${price.currency}` },
                { name: 'unitCost', value: `${roundMoney(costAmount)} ${price.currency}` },
                { name: 'minimumMarginPercent', value: minimumMarginPercent.toString() },
              ],
            ),
          );
        }
      }
      priced.push({
        sku,
        locationId: scope.locationId,
        channel: scope.channel,
        regular,
        promo,
        cost: cost && cost.currency === price.currency ? new Big(cost.amount) : undefined,
        currency: price.currency,
      });
      const list = evaluations.get(sku) ?? [];
      list.push({
        sku,
        regularPrice: { amount: price.amount, currency: price.currency },
        promotionalPrice: { amount: promoText, currency: price.currency },
        discountPerUnit: { amount: roundMoney(regular.minus(promo)), currency: price.currency },
        marginAtPromoPercent: margin ? roundPercent(margin) : null,
        breachesFloor: breaches,
        margin,
        promo,
      });
      evaluations.set(sku, list);
    }
  }

  findings.push(...pricingAnomalies(priced, inputs.anomalies, inputs.historyOf));
  const units = expectedUnits(terms);
  const perSku: SkuPriceImpactValue[] = [];
  let discountCost = new Big(0);
  for (const sku of skus) {
    const list = evaluations.get(sku);
    if (!list?.length) continue;
    const { margin: _margin, promo: _promo, ...row } = [...list].sort(binding)[0]!;
    perSku.push(row);
    discountCost = discountCost.plus(
      new Big(row.discountPerUnit.amount).times(units.get(sku) ?? 0),
    );
  }
  return result(
    findings,
    perSku,
    { amount: roundMoney(discountCost), currency: terms.currency },
    skus.length,
    minimumMarginPercent,
  );
}

function unitPrice(price: PriceRecord, terms: OfferTerms): string | undefined {
  const outcome = promotionalUnitPrice(price.amount, price.currency, terms);
  return outcome.ok ? outcome.price : undefined;
}

/** Breaching first, then the lowest margin (unknown margins last), then the lowest promotional price. */
function binding(a: Evaluation, b: Evaluation): number {
  if (a.breachesFloor !== b.breachesFloor) return a.breachesFloor ? -1 : 1;
  if (a.margin && b.margin && !a.margin.eq(b.margin)) return a.margin.lt(b.margin) ? -1 : 1;
  if (a.margin && !b.margin) return -1;
  if (!a.margin && b.margin) return 1;
  return a.promo.cmp(b.promo);
}

function expectedUnits(terms: PriceImpactTerms): Map<string, Big> {
  const units = new Map<string, Big>();
  for (const { sku, quantity } of terms.expectedUnitsBySku ?? []) {
    const q = toBig(quantity);
    if (q && q.gt(0)) units.set(sku, (units.get(sku) ?? new Big(0)).plus(q));
  }
  return units;
}

function describe(scope: PricingScope): string {
  return `(${scope.locationId ? `store ${scope.locationId}` : 'chain-wide'}, ${scope.channel})`;
}

function result(
  findings: FindingValue[],
  perSku: SkuPriceImpactValue[],
  expectedDiscountCost: MoneyValue,
  skuCount: number,
  minimumMarginPercent: Big,
): PriceImpactValue {
  const blockers = findings.filter((f) => f.severity === FindingSeverity.BLOCKING);
  const warnings = findings.filter((f) => f.severity === FindingSeverity.WARNING);
  const passed = blockers.length === 0;
  const tally = (list: FindingValue[]) => {
    const counts = new Map<string, number>();
    for (const f of list) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    return [...counts].map(([code, n]) => `${n} ${code}`).join(', ');
  };
  let summary: string;
  if (passed) {
    summary =
      skuCount === 0
        ? 'No SKUs in scope'
        : `${plural(skuCount, 'SKU')} checked; every promotional price keeps the ${minimumMarginPercent.toString()}% minimum margin`;
    if (warnings.length) summary += `; ${plural(warnings.length, 'warning')}: ${tally(warnings)}`;
  } else {
    summary = `${plural(findings.length, 'finding')}: ${tally(findings)}`;
  }
  return {
    check: { area: ReadinessArea.PRICING, passed, summary, findings },
    perSku,
    expectedDiscountCost,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
