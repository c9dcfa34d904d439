import Big from 'big.js';
import type { PromotionRecord } from '../model/promotion.model.ts';
import type { RedemptionBreakdown, RedemptionTotals } from './redemption-ledger.ts';

type Money = { amount: string; currency: string };
export type PerformanceTotalsValue = {
  units: string;
  lines: number;
  discountGiven: Money;
  vendorFunded: Money;
  retailerFunded: Money;
};

export type PromotionPerformanceValue = {
  totals: PerformanceTotalsValue;
  byChannel: { channel: string; totals: PerformanceTotalsValue }[];
  byLocation: { locationId: string; totals: PerformanceTotalsValue }[];
  byDay: { day: string; totals: PerformanceTotalsValue }[];
  expectedUnits: string | null;
  unitsVsExpectedPercent: string | null;
  vendorSharePercent: string;
  lastSoldAt: string | null;
  lastReceivedAt: string | null;
};

/** The vendor share the funding is figured at: the promotion's, 0 without a vendor. */
export function vendorShareOf(promotion: PromotionRecord): string {
  return promotion.vendorId && promotion.vendorSharePercent ? promotion.vendorSharePercent : '0';
}

/** The ledger's sums of one promotion as the graph shows them. */
export function toPerformance(
  promotion: PromotionRecord,
  breakdown: RedemptionBreakdown,
): PromotionPerformanceValue {
  const currency = promotion.currency;
  const money = (value: string): Money => ({ amount: new Big(value).toFixed(2), currency });
  const totals = (t: RedemptionTotals): PerformanceTotalsValue => ({
    units: new Big(t.units).toFixed(),
    lines: t.lines,
    discountGiven: money(t.discount),
    vendorFunded: money(t.vendorShare),
    retailerFunded: money(new Big(t.discount).minus(t.vendorShare).toFixed(2)),
  });
  const expected = promotion.expectedUnits.length
    ? promotion.expectedUnits.reduce((sum, u) => sum.plus(u.quantity), new Big(0))
    : null;
  return {
    totals: totals(breakdown.total),
    byChannel: breakdown.byChannel.map(({ channel, ...t }) => ({ channel, totals: totals(t) })),
    byLocation: breakdown.byLocation.map(({ locationId, ...t }) => ({
      locationId,
      totals: totals(t),
    })),
    byDay: breakdown.byDay.map(({ day, ...t }) => ({ day, totals: totals(t) })),
    expectedUnits: expected ? expected.toFixed() : null,
    unitsVsExpectedPercent:
      expected && expected.gt(0)
        ? new Big(breakdown.total.units).times(100).div(expected).toFixed(1)
        : null,
    vendorSharePercent: vendorShareOf(promotion),
    lastSoldAt: breakdown.lastSoldAt,
    lastReceivedAt: breakdown.lastReceivedAt,
  };
}
