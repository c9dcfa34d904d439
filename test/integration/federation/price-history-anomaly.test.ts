import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Big } from 'big.js';
import {
  PROMOTION_CONDITION_TYPE,
  priceConditionsForSku,
  type PriceCondition,
} from '../../../backends/erp/prices.ts';
import { createSeed } from '../../../backends/erp/seed.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

/**
 * DEEPER_THAN_HISTORY through the gateway: a promotion's `priceImpact` (pricing subgraph) reads
 * the SKUs' past promotional prices from the emulated ERP over the 365 days before the promotion
 * starts and warns when the new discount is far deeper (policies/pricing-anomalies.yaml).
 * The promotion starts on 2026-06-01 (a past start is allowed while its end is ahead), so the
 * window 2025-06-01..2026-05-31 holds seeded history whatever day the test runs.
 */

const SEED = { skus: 300, locations: 20, vendors: 10 };
const FROM_MS = Date.UTC(2025, 5, 1);
const TO_MS = Date.UTC(2026, 4, 31);
const PERCENT_OFF = 35;
const sku = (n: number) => `SKU${String(n).padStart(6, '0')}`;

const seed = createSeed(SEED);
const perUnit = (c: PriceCondition) =>
  new Big(c.record.ConditionRateValue as string).div(c.record.ConditionQuantity as string);
/** Past discounts (percent) of a SKU's promotional records in the window, from the seed itself. */
function pastDiscounts(n: number): Big[] {
  const all = priceConditionsForSku(seed, n);
  return all
    .filter(
      (c) =>
        c.record.ConditionType === PROMOTION_CONDITION_TYPE &&
        (c.validity.ConditionValidityStartDate as number) <= TO_MS &&
        (c.validity.ConditionValidityEndDate as number) >= FROM_MS,
    )
    .map((promo) => {
      const regular = all.find(
        (c) =>
          c.record.ConditionType === 'PPR0' &&
          c.validity.Plant === '' &&
          c.validity.DistributionChannel === promo.validity.DistributionChannel &&
          (c.validity.ConditionValidityEndDate as number) >=
            (promo.validity.ConditionValidityStartDate as number) &&
          (c.validity.ConditionValidityStartDate as number) <=
            (promo.validity.ConditionValidityStartDate as number),
      )!;
      return perUnit(regular).minus(perUnit(promo)).div(perUnit(regular)).times(100);
    });
}
const deepest = (list: Big[]) => list.reduce((a, b) => (b.gt(a) ? b : a));
const numbers = Array.from({ length: SEED.skus }, (_, i) => i + 1);
/** Promoted at most 20% off in the window: 35% is more than 10 points deeper. */
const shallow = numbers.find((n) => {
  const past = pastDiscounts(n);
  return past.length > 0 && deepest(past).lt(20);
})!;
/** Promoted 30% off or more in the window: 35% is within 10 points. */
const deep = numbers.find((n) => {
  const past = pastDiscounts(n);
  return past.length > 0 && deepest(past).gte(30);
})!;
/** Never promoted: 35% is above the first-time maximum of 30%. */
const fresh = numbers.find(
  (n) =>
    !priceConditionsForSku(seed, n).some(
      (c) => c.record.ConditionType === PROMOTION_CONDITION_TYPE,
    ),
)!;

type Finding = {
  code: string;
  sku: string | null;
  locationId: string | null;
  severity: string;
  evidence: { name: string; value: string }[];
};

describe('DEEPER_THAN_HISTORY in the PRICING check, through the gateway', () => {
  let stack: TestStack;

  before(async () => {
    assert.ok(shallow && deep && fresh, 'the seed has each kind of SKU');
    stack = await startTestStack(SEED);
  });
  after(async () => stack?.close());

  test('warns on the SKU promoted shallower before and the never-promoted one, with the evidence', async () => {
    const created = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
      `mutation Create($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
      {
        input: {
          name: 'Deeper than history',
          offer: { kind: 'PERCENT_OFF', percentOff: String(PERCENT_OFF) },
          scope: { skus: [sku(shallow), sku(deep), sku(fresh)] },
          eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001'] },
          window: {
            startsAt: '2026-06-01T00:00:00.000Z',
            endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
            timeZone: 'Europe/Berlin',
          },
          stacking: { mode: 'STACKABLE', priority: 10 },
        },
      },
    );
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    const id = created.body.data!.createPromotionDraft.promotion.id;

    const res = await stack.query<{
      promotion: {
        priceImpact: {
          check: { area: string; findings: Finding[] };
          perSku: {
            sku: string;
            regularPrice: { amount: string };
            promotionalPrice: { amount: string };
          }[];
        };
      };
    }>(
      `query($id: ID!) { promotion(id: $id) { priceImpact {
        check { area findings { code sku locationId severity evidence { name value } } }
        perSku { sku regularPrice { amount } promotionalPrice { amount } } } } }`,
      { id },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const { check, perSku } = res.body.data!.promotion.priceImpact;
    assert.equal(check.area, 'PRICING');
    const newDiscount = (s: string) => {
      const row = perSku.find((r) => r.sku === s)!;
      const regular = new Big(row.regularPrice.amount);
      return regular.minus(row.promotionalPrice.amount).div(regular).times(100).toFixed(2, 1);
    };
    const history = check.findings.filter((f) => f.code === 'DEEPER_THAN_HISTORY');
    assert.deepEqual(
      history.map((f) => [f.sku, f.locationId, f.severity]),
      [
        [sku(shallow), null, 'WARNING'],
        [sku(fresh), null, 'WARNING'],
      ],
      `${sku(deep)} (deepest ${deepest(pastDiscounts(deep)).toFixed(2)}%) is not reported`,
    );
    assert.deepEqual(history[0]!.evidence, [
      { name: 'sku', value: sku(shallow) },
      { name: 'newDiscountPercent', value: newDiscount(sku(shallow)) },
      {
        name: 'deepestPastDiscountPercent',
        value: deepest(pastDiscounts(shallow)).toFixed(2, 1),
      },
      { name: 'pastPromotionCount', value: String(pastDiscounts(shallow).length) },
      { name: 'lookbackDays', value: '365' },
    ]);
    assert.deepEqual(history[1]!.evidence, [
      { name: 'sku', value: sku(fresh) },
      { name: 'newDiscountPercent', value: newDiscount(sku(fresh)) },
      { name: 'deepestPastDiscountPercent', value: 'none' },
      { name: 'pastPromotionCount', value: '0' },
      { name: 'lookbackDays', value: '365' },
    ]);
  });
});
