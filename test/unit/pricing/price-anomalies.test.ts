import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Big } from 'big.js';
import {
  validatePricingAnomalyPolicy,
  type PricingAnomalyPolicy,
} from '../../../policies/pricing-anomaly-policy.ts';
import { pricingAnomalies, type PricedAt } from '../../../subgraphs/pricing/price-anomalies.ts';
import { assessPriceImpact } from '../../../subgraphs/pricing/price-impact.ts';
import { OfferKind, SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';

const POLICY: PricingAnomalyPolicy = {
  belowCost: { action: 'block' },
  channelPriceMismatch: { action: 'warn', tolerancePercent: 2 },
  stackingConflict: { action: 'warn' },
  deeperThanHistory: {
    action: 'warn',
    lookbackDays: 365,
    marginPoints: 10,
    firstTimeMaxPercent: 30,
  },
};
/** `at` takes 50% off; a past 45% promotion keeps DEEPER_THAN_HISTORY out of these tests. */
const HISTORY = () => [{ discountPercent: '45' }];
const at = (channel: SalesChannel, promo: string, cost?: string): PricedAt => ({
  sku: 'SKU1',
  locationId: 'S001',
  channel,
  regular: new Big(promo).times(2),
  promo: new Big(promo),
  cost: cost === undefined ? undefined : new Big(cost),
  currency: 'EUR',
});

describe('pricing anomalies', () => {
  test('BELOW_COST: the loss per unit and the numbers behind it, severity from the policy', () => {
    const [finding] = pricingAnomalies([at(SalesChannel.POS, '3.90', '4.10')], POLICY, HISTORY);
    assert.deepEqual(finding, {
      code: 'BELOW_COST',
      sku: 'SKU1',
      locationId: 'S001',
      message:
        'Promotional price 3.90 EUR of SKU1 is below its unit cost 4.10 EUR (store S001, POS): a loss of 0.20 EUR per unit',
      severity: 'BLOCKING',
      evidence: [
        { name: 'channel', value: 'POS' },
        { name: 'promotionalPrice', value: '3.90 EUR' },
        { name: 'unitCost', value: '4.10 EUR' },
        { name: 'lossPerUnit', value: '0.20 EUR' },
      ],
    });
    const warn = { ...POLICY, belowCost: { action: 'warn' as const } };
    assert.equal(
      pricingAnomalies([at(SalesChannel.POS, '3.90', '4.10')], warn, HISTORY)[0]!.severity,
      'WARNING',
    );
    assert.deepEqual(pricingAnomalies([at(SalesChannel.POS, '4.10', '4.10')], POLICY, HISTORY), []);
    assert.deepEqual(
      pricingAnomalies([at(SalesChannel.POS, '1.00')], POLICY, HISTORY),
      [],
      'no cost known',
    );
  });

  test('CHANNEL_PRICE_MISMATCH: the same offer priced apart in channels at one location', () => {
    const within = pricingAnomalies(
      [at(SalesChannel.ECOMMERCE, '10.00'), at(SalesChannel.POS, '10.20')],
      POLICY,
      HISTORY,
    );
    assert.deepEqual(within, [], '2% apart is within the tolerance');
    const [finding] = pricingAnomalies(
      [
        at(SalesChannel.POS, '10.50'),
        at(SalesChannel.ECOMMERCE, '10.00'),
        at(SalesChannel.MOBILE, '10.10'),
      ],
      POLICY,
      HISTORY,
    );
    assert.equal(finding!.code, 'CHANNEL_PRICE_MISMATCH');
    assert.equal(finding!.severity, 'WARNING');
    assert.equal(
      finding!.message,
      'The offer prices SKU1 at 10.00 EUR in ECOMMERCE but 10.50 EUR in POS (store S001): 5.00% apart, more than 2%',
    );
    assert.deepEqual(finding!.evidence, [
      { name: 'promotionalPrice.ECOMMERCE', value: '10.00 EUR' },
      { name: 'promotionalPrice.MOBILE', value: '10.10 EUR' },
      { name: 'promotionalPrice.POS', value: '10.50 EUR' },
      { name: 'spreadPercent', value: '5.00' },
      { name: 'tolerancePercent', value: '2' },
    ]);
  });

  test('a warning is reported and the check still passes; a blocking finding fails it', () => {
    const terms = {
      skus: ['SKU1'],
      locationIds: ['S001'],
      channels: [SalesChannel.ECOMMERCE, SalesChannel.POS],
      currency: 'EUR',
      offerKind: OfferKind.PERCENT_OFF,
      percentOff: '10',
    };
    const prices: Record<string, string> = { ECOMMERCE: '10.00', POS: '11.00' };
    const assess = (cost: string) =>
      assessPriceImpact({
        terms,
        priceOf: (_sku, scope) =>
          ({
            amount: prices[scope.channel]!,
            currency: 'EUR',
            asOf: null,
          }) as never,
        costOf: () => ({ amount: cost, currency: 'EUR' }) as never,
        minimumMarginPercent: new Big(0),
        anomalies: POLICY,
        historyOf: () => [],
      }).check;
    const warned = assess('1.00');
    assert.equal(warned.passed, true);
    assert.deepEqual(
      warned.findings.map((f) => [f.code, f.severity]),
      [['CHANNEL_PRICE_MISMATCH', 'WARNING']],
    );
    assert.match(warned.summary, /; 1 warning: 1 CHANNEL_PRICE_MISMATCH$/);
    const blocked = assess('9.50');
    assert.equal(blocked.passed, false);
    assert.deepEqual(
      blocked.findings.map((f) => [f.code, f.severity]),
      [
        ['BELOW_MARGIN_FLOOR', 'BLOCKING'],
        ['BELOW_COST', 'BLOCKING'],
        ['CHANNEL_PRICE_MISMATCH', 'WARNING'],
      ],
    );
  });

  test('the policy file refuses an unknown action or a missing rule', () => {
    assert.throws(() =>
      validatePricingAnomalyPolicy({
        belowCost: { action: 'ignore' },
        channelPriceMismatch: { action: 'warn', tolerancePercent: 2 },
        stackingConflict: { action: 'warn' },
      }),
    );
    assert.throws(() => validatePricingAnomalyPolicy({ belowCost: { action: 'block' } }));
    assert.deepEqual(validatePricingAnomalyPolicy(structuredClone(POLICY)), POLICY);
  });
});
