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

const severityOf = (action: 'block' | 'warn'): FindingSeverity =>
  action === 'block' ? FindingSeverity.BLOCKING : FindingSeverity.WARNING;
const where = (p: { locationId: string | null }) =>
  p.locationId ? `store ${p.locationId}` : 'chain-wide';

/**
 * Explainable pricing anomalies beside the margin floor, each with the numbers behind it and
 * the severity the policy gives its rule (policies/pricing-anomalies.yaml):
 * - `BELOW_COST`: the promotional price is under the unit cost (a loss on every unit);
 * - `CHANNEL_PRICE_MISMATCH`: at one location, the offer's promotional price differs between
 *   channels by more than `tolerancePercent` (lowest to highest), because their regular prices do.
 */
export function pricingAnomalies(
  priced: readonly PricedAt[],
  policy: PricingAnomalyPolicy,
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
  return findings;
}
