import { Big } from 'big.js';
import type { PricingAnomalyPolicy } from '../../policies/pricing-anomaly-policy.ts';
import { FindingSeverity, type SalesChannel } from '../shared/canonical/enums.ts';
import { roundMoney, roundPercent } from './money.ts';

/** One SKU priced at one location and channel: what the anomaly rules look at. */
export type PricedAt = {
  sku: string;
  locationId: string | null;
  channel: SalesChannel;
  regular: Big;
  promo: Big;
  /** Unit cost at the location; undefined when unknown (the below-cost rule cannot decide). */
  cost: Big | undefined;
  currency: string;
};

export type AnomalyFinding = {
  code: string;
  sku: string;
  locationId: string | null;
  message: string;
  severity: FindingSeverity;
  evidence: { name: string; value: string }[];
};

/** One past promotional discount of a SKU (percent, unrounded decimal string). */
export type PastDiscount = { discountPercent: string };

/**
 * The SKU's past promotional discounts in the policy's lookback window (`deeperThanHistory`),
 * empty when it had none. The caller must have read every SKU's history: a history it could not
 * read is an error (the check fails closed), never an empty list.
 */
export type HistoryOf = (sku: string) => readonly PastDiscount[];

const severityOf = (action: 'block' | 'warn'): FindingSeverity =>
  action === 'block' ? FindingSeverity.BLOCKING : FindingSeverity.WARNING;
const where = (p: { locationId: string | null }) =>
  p.locationId ? `store ${p.locationId}` : 'chain-wide';

/**
 * Explainable pricing anomalies beside the margin floor, each with the numbers behind it and
 * the severity the policy gives its rule (policies/pricing-anomalies.yaml):
 * - `BELOW_COST`: the promotional price is under the unit cost (a loss on every unit);
 * - `CHANNEL_PRICE_MISMATCH`: at one location, the offer's promotional price differs between
 *   channels by more than `tolerancePercent` (lowest to highest), because their regular prices do;
 * - `DEEPER_THAN_HISTORY`: the offer's discount on a SKU is far deeper than its recent promotions
 *   (see `deeperThanHistory`).
 */
export function pricingAnomalies(
  priced: readonly PricedAt[],
  policy: PricingAnomalyPolicy,
  historyOf: HistoryOf,
): AnomalyFinding[] {
  const findings: AnomalyFinding[] = [];
  for (const p of priced) {
    if (p.cost === undefined || !p.promo.lt(p.cost)) continue;
    const money = (v: Big) => `${roundMoney(v)} ${p.currency}`;
    findings.push({
      code: 'BELOW_COST',
      sku: p.sku,
      locationId: p.locationId,
      message: `Promotional price ${money(p.promo)} of ${p.sku} is below its unit cost ${money(p.cost)} (${where(p)}, ${p.channel}): a loss of ${money(p.cost.minus(p.promo))} per unit`,
      severity: severityOf(policy.belowCost.action),
      evidence: [
        { name: 'channel', value: p.channel },
        { name: 'promotionalPrice', value: money(p.promo) },
        { name: 'unitCost', value: money(p.cost) },
        { name: 'lossPerUnit', value: money(p.cost.minus(p.promo)) },
      ],
    });
  }
  const byPlace = new Map<string, PricedAt[]>();
  for (const p of priced) {
    const key = `${p.sku}\u0000${p.locationId ?? ''}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), p]);
  }
  const tolerance = new Big(policy.channelPriceMismatch.tolerancePercent);
  for (const group of byPlace.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => a.promo.cmp(b.promo));
    const low = sorted[0]!;
    const high = sorted.at(-1)!;
    if (low.promo.lte(0)) continue;
    const spread = high.promo.minus(low.promo).div(low.promo).times(100);
    if (!spread.gt(tolerance)) continue;
    const money = (v: Big) => `${roundMoney(v)} ${low.currency}`;
    findings.push({
      code: 'CHANNEL_PRICE_MISMATCH',
      sku: low.sku,
      locationId: low.locationId,
      message: `The offer prices ${low.sku} at ${money(low.promo)} in ${low.channel} but ${money(high.promo)} in ${high.channel} (${where(low)}): ${roundPercent(spread)}% apart, more than ${tolerance.toString()}%`,
      severity: severityOf(policy.channelPriceMismatch.action),
      evidence: [
        ...sorted.map((p) => ({ name: `promotionalPrice.${p.channel}`, value: money(p.promo) })),
        { name: 'spreadPercent', value: roundPercent(spread) },
        { name: 'tolerancePercent', value: tolerance.toString() },
      ],
    });
  }
  findings.push(...deeperThanHistory(priced, policy, historyOf));
  return findings;
}

/**
 * `DEEPER_THAN_HISTORY`, one finding per SKU at most (chain-wide, `locationId` null):
 * - new discount = the deepest (regular − promotional) / regular × 100 over the SKU's priced
 *   locations × channels (no finding when the offer does not lower the price);
 * - history = the SKU's promotional prices in the `lookbackDays` before the promotion starts
 *   (`historyOf`, read by the caller from the ERP); deepest past discount = the largest of theirs;
 * - reported when new − deepest past > `marginPoints` percentage points; for a SKU without
 *   history, when new > `firstTimeMaxPercent`. Compared unrounded; evidence rounded to 2 decimals.
 */
export function deeperThanHistory(
  priced: readonly PricedAt[],
  policy: PricingAnomalyPolicy,
  historyOf: HistoryOf,
): AnomalyFinding[] {
  const rule = policy.deeperThanHistory;
  const deepestNew = new Map<string, Big>();
  for (const p of priced) {
    if (!p.regular.gt(0)) continue;
    const discount = p.regular.minus(p.promo).div(p.regular).times(100);
    const current = deepestNew.get(p.sku);
    if (!current || discount.gt(current)) deepestNew.set(p.sku, discount);
  }
  const findings: AnomalyFinding[] = [];
  for (const [sku, discount] of deepestNew) {
    if (!discount.gt(0)) continue;
    const past = historyOf(sku);
    let deepest: Big | undefined;
    for (const { discountPercent } of past) {
      const d = new Big(discountPercent);
      if (!deepest || d.gt(deepest)) deepest = d;
    }
    const limit = deepest ? deepest.plus(rule.marginPoints) : new Big(rule.firstTimeMaxPercent);
    if (!discount.gt(limit)) continue;
    const days = `${rule.lookbackDays} days`;
    const message = deepest
      ? `The offer takes ${roundPercent(discount)}% off ${sku}, ${roundPercent(discount.minus(deepest))} points deeper than its deepest promotion of the last ${days} (${roundPercent(deepest)}% over ${past.length}); more than ${rule.marginPoints} points`
      : `The offer takes ${roundPercent(discount)}% off ${sku}, which had no promotional price in the last ${days}; a first discount deeper than ${rule.firstTimeMaxPercent}% is reported`;
    findings.push({
      code: 'DEEPER_THAN_HISTORY',
      sku,
      locationId: null,
      message,
      severity: severityOf(rule.action),
      evidence: [
        { name: 'sku', value: sku },
        { name: 'newDiscountPercent', value: roundPercent(discount) },
        { name: 'deepestPastDiscountPercent', value: deepest ? roundPercent(deepest) : 'none' },
        { name: 'pastPromotionCount', value: String(past.length) },
        { name: 'lookbackDays', value: String(rule.lookbackDays) },
      ],
    });
  }
  return findings;
}
