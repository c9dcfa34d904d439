import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Big } from 'big.js';
import {
  DEEPER_THAN_HISTORY_DEFAULTS,
  loadPricingAnomalyPolicy,
  type PricingAnomalyPolicy,
} from '../../../policies/pricing-anomaly-policy.ts';
import {
  deeperThanHistory,
  pricingAnomalies,
  type PricedAt,
} from '../../../subgraphs/pricing/price-anomalies.ts';
import { historyWindow } from '../../../subgraphs/pricing/price-impact.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';

/**
 * DEEPER_THAN_HISTORY, the rule's arithmetic (pure): the new discount (deepest over the scopes)
 * against the deepest past promotional discount plus `marginPoints`, or `firstTimeMaxPercent`
 * for a SKU without history; its evidence and severity; and the lookback window's days.
 */

const POLICY: PricingAnomalyPolicy = {
  ...loadPricingAnomalyPolicy(),
  deeperThanHistory: {
    action: 'warn',
    lookbackDays: 365,
    marginPoints: 10,
    firstTimeMaxPercent: 30,
  },
};
const priced = (
  sku: string,
  regular: string,
  promo: string,
  channel = SalesChannel.ECOMMERCE,
  locationId: string | null = null,
): PricedAt => ({
  sku,
  locationId,
  channel,
  regular: new Big(regular),
  promo: new Big(promo),
  cost: undefined,
  currency: 'EUR',
});
const past = (...percents: string[]) => percents.map((discountPercent) => ({ discountPercent }));

describe('DEEPER_THAN_HISTORY', () => {
  test('a discount more than marginPoints deeper than the deepest past one: finding with its evidence', () => {
    // 10.00 → 6.50 is 35% off; the deepest of the past three was 20%: 15 points deeper.
    const findings = deeperThanHistory([priced('A', '10.00', '6.50')], POLICY, () =>
      past('10', '20', '15.5'),
    );
    assert.deepEqual(findings, [
      {
        code: 'DEEPER_THAN_HISTORY',
        sku: 'A',
        locationId: null,
        message:
          'The offer takes 35.00% off A, 15.00 points deeper than its deepest promotion of the last 365 days (20.00% over 3); more than 10 points',
        severity: 'WARNING',
        evidence: [
          { name: 'sku', value: 'A' },
          { name: 'newDiscountPercent', value: '35.00' },
          { name: 'deepestPastDiscountPercent', value: '20.00' },
          { name: 'pastPromotionCount', value: '3' },
          { name: 'lookbackDays', value: '365' },
        ],
      },
    ]);
  });

  test('exactly marginPoints deeper is not reported; a hair more is (compared unrounded)', () => {
    assert.deepEqual(
      deeperThanHistory([priced('A', '10.00', '7.00')], POLICY, () => past('20')),
      [],
    );
    assert.equal(
      deeperThanHistory([priced('A', '10.00', '7.00')], POLICY, () => past('19.999')).length,
      1,
    );
  });

  test('a SKU without history: reported only above firstTimeMaxPercent, deepest past "none"', () => {
    assert.deepEqual(
      deeperThanHistory([priced('B', '10.00', '7.00')], POLICY, () => []),
      [],
    );
    const [finding] = deeperThanHistory([priced('B', '10.00', '6.90')], POLICY, () => []);
    assert.equal(
      finding!.message,
      'The offer takes 31.00% off B, which had no promotional price in the last 365 days; a first discount deeper than 30% is reported',
    );
    assert.deepEqual(finding!.evidence, [
      { name: 'sku', value: 'B' },
      { name: 'newDiscountPercent', value: '31.00' },
      { name: 'deepestPastDiscountPercent', value: 'none' },
      { name: 'pastPromotionCount', value: '0' },
      { name: 'lookbackDays', value: '365' },
    ]);
  });

  test('one finding per SKU, on its deepest discount over locations × channels', () => {
    const findings = deeperThanHistory(
      [
        priced('A', '10.00', '9.00', SalesChannel.ECOMMERCE, 'S001'),
        priced('A', '10.00', '5.00', SalesChannel.POS, 'S001'),
        priced('A', '12.00', '9.00', SalesChannel.POS, 'S002'),
        priced('C', '10.00', '9.00'),
      ],
      POLICY,
      (sku) => (sku === 'A' ? past('30') : []),
    );
    assert.deepEqual(
      findings.map((f) => [f.sku, f.locationId, f.evidence[1]!.value]),
      [['A', null, '50.00']],
    );
  });

  test('no discount, no finding; the policy sets severity and thresholds', () => {
    assert.deepEqual(
      deeperThanHistory([priced('A', '10.00', '10.00')], POLICY, () => []),
      [],
    );
    assert.deepEqual(
      deeperThanHistory([priced('A', '10.00', '11.00')], POLICY, () => []),
      [],
    );
    const strict: PricingAnomalyPolicy = {
      ...POLICY,
      deeperThanHistory: {
        action: 'block',
        lookbackDays: 90,
        marginPoints: 0,
        firstTimeMaxPercent: 5,
      },
    };
    const [blocking] = deeperThanHistory([priced('A', '10.00', '9.00')], strict, () => past('9'));
    assert.equal(blocking!.severity, 'BLOCKING');
    assert.deepEqual(blocking!.evidence.at(-1), { name: 'lookbackDays', value: '90' });
    assert.equal(deeperThanHistory([priced('A', '10.00', '9.40')], strict, () => []).length, 1);
  });

  test('pricingAnomalies asks the history of every priced SKU and reports the rule last', () => {
    const asked: string[] = [];
    const findings = pricingAnomalies(
      [{ ...priced('A', '10.00', '4.00'), cost: new Big('5.00') }],
      POLICY,
      (sku) => {
        asked.push(sku);
        return [];
      },
    );
    assert.deepEqual(asked, ['A']);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['BELOW_COST', 'DEEPER_THAN_HISTORY'],
    );
  });

  test('the window is the lookbackDays UTC days before the promotion start day', () => {
    assert.deepEqual(historyWindow(Date.parse('2026-06-01T15:30:00Z'), 365), {
      from: '2025-06-01',
      to: '2026-05-31',
    });
    assert.deepEqual(historyWindow(Date.parse('2026-03-01T00:00:00Z'), 1), {
      from: '2026-02-28',
      to: '2026-02-28',
    });
  });

  test('the shipped policy holds the documented defaults', () => {
    assert.deepEqual(loadPricingAnomalyPolicy().deeperThanHistory, DEEPER_THAN_HISTORY_DEFAULTS);
    assert.deepEqual(DEEPER_THAN_HISTORY_DEFAULTS, {
      action: 'warn',
      lookbackDays: 365,
      marginPoints: 10,
      firstTimeMaxPercent: 30,
    });
  });
});
