import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Big } from 'big.js';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  PROMOTION_CONDITION_TYPE,
  priceConditionsForSku,
  type PriceCondition,
} from '../../../backends/erp/prices.ts';
import { createSeed } from '../../../backends/erp/seed.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createSapPriceHistorySource } from '../../../subgraphs/pricing/adapters/sap/sap-price-history.adapter.ts';
import { plainODataReader } from '../../../subgraphs/shared/odata-v2-batch.ts';
import { assemblePricingSubgraph } from '../../../subgraphs/pricing/assemble.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

/**
 * Past promotional prices in the ERP emulator (VKA0 condition records) as the ERP's own OData
 * read returns them with a validity-date filter, and as the price-history port reads them: one
 * request per chunk of SKUs, each past discount against the list price of its channel then.
 */

const SEED = { skus: 300, locations: 8, vendors: 5 };
const VALIDITY = 'API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity';
const SRV = '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV';
const FROM = '2025-06-01';
const TO = '2026-05-31';
const FROM_MS = Date.parse(`${FROM}T00:00:00Z`);
const TO_MS = Date.parse(`${TO}T00:00:00Z`);
const sku = (n: number) => `SKU${String(n).padStart(6, '0')}`;

const seed = createSeed(SEED);
const conditions = (n: number) => priceConditionsForSku(seed, n);
const promotional = (c: PriceCondition) => c.record.ConditionType === PROMOTION_CONDITION_TYPE;
const inWindow = (c: PriceCondition) =>
  (c.validity.ConditionValidityStartDate as number) <= TO_MS &&
  (c.validity.ConditionValidityEndDate as number) >= FROM_MS;
const perUnit = (c: PriceCondition) =>
  new Big(c.record.ConditionRateValue as string).div(c.record.ConditionQuantity as string);
/** The seeded discount of a VKA0 record against its channel's chain-wide PPR0 of that day. */
function expectedDiscount(n: number, promo: PriceCondition): string {
  const regular = conditions(n).find(
    (c) =>
      c.record.ConditionType === 'PPR0' &&
      c.validity.Plant === '' &&
      c.validity.DistributionChannel === promo.validity.DistributionChannel &&
      (c.validity.ConditionValidityStartDate as number) <=
        (promo.validity.ConditionValidityStartDate as number) &&
      (c.validity.ConditionValidityEndDate as number) >=
        (promo.validity.ConditionValidityStartDate as number),
  )!;
  return perUnit(regular).minus(perUnit(promo)).div(perUnit(regular)).times(100).toFixed();
}
const all = Array.from({ length: SEED.skus }, (_, i) => i + 1);
const withHistory = all.filter((n) => conditions(n).some((c) => promotional(c) && inWindow(c)));
const withoutAny = all.filter((n) => !conditions(n).some(promotional));

describe('price history against the ERP emulator', () => {
  let backends: RunningBackends;
  let client: BackendClient;

  before(async () => {
    backends = await createBackendsServer({ seed: SEED, pageSize: 1000 }).listen(0);
    client = createBackendClient({
      name: 'erp',
      baseUrl: backends.url,
      retries: 0,
      timeoutMs: EMULATOR_TIMEOUT_MS,
    });
  });
  after(async () => {
    await client.close();
    await backends.close();
  });
  beforeEach(() => {
    backends.state.counters.reset();
    backends.state.faults.reset();
  });

  test('the seed holds past promotions for a realistic share of SKUs, deterministically', () => {
    const promoted = all.filter((n) => conditions(n).some(promotional));
    assert.ok(promoted.length > 60 && promoted.length < 150, `${promoted.length} of 300`);
    assert.ok(withHistory.length > 20, `${withHistory.length} with history in the window`);
    assert.ok(withoutAny.length > 100);
    const again = createSeed(SEED);
    assert.deepEqual(priceConditionsForSku(again, withHistory[0]!), conditions(withHistory[0]!));
    for (const n of promoted) {
      for (const c of conditions(n).filter(promotional)) {
        assert.equal(c.validity.Plant, '');
        assert.ok(['10', '20'].includes(c.validity.DistributionChannel as string));
        const d = Number(expectedDiscount(n, c));
        assert.ok(d > 9 && d < 41, `${sku(n)}: ${d}%`);
      }
    }
  });

  test('the ERP read with a validity-date filter returns exactly the promotional records in the window', async () => {
    const n = withHistory[0]!;
    const filter =
      `ConditionType eq '${PROMOTION_CONDITION_TYPE}' and Material eq '${sku(n)}'` +
      ` and ConditionValidityStartDate le datetime'${TO}T00:00:00'` +
      ` and ConditionValidityEndDate ge datetime'${FROM}T00:00:00'`;
    const res = await fetch(
      `${backends.url}${SRV}/A_SlsPrcgCndnRecdValidity?$format=json&$expand=to_SlsPrcgConditionRecord&$filter=${encodeURIComponent(filter)}`,
    );
    assert.equal(res.status, 200);
    const rows = ((await res.json()) as { d: { results: Record<string, unknown>[] } }).d.results;
    const expected = conditions(n).filter((c) => promotional(c) && inWindow(c));
    assert.deepEqual(
      rows.map((r) => [r.ConditionRecord, r.ConditionType, r.DistributionChannel, r.Plant]),
      expected.map((c) => [
        c.validity.ConditionRecord,
        PROMOTION_CONDITION_TYPE,
        c.validity.DistributionChannel,
        '',
      ]),
    );
    const [first] = rows as { to_SlsPrcgConditionRecord: Record<string, unknown> }[];
    assert.equal(
      first!.to_SlsPrcgConditionRecord.ConditionRateValue,
      expected[0]!.record.ConditionRateValue,
    );
    assert.match(String(rows[0]!.ConditionValidityStartDate), /^\/Date\(\d+\)\/$/);
    // The record is also readable by its key, like every condition record.
    const one = await fetch(
      `${backends.url}${SRV}/A_SlsPrcgConditionRecord('${expected[0]!.record.ConditionRecord as string}')?$format=json`,
    );
    assert.equal(one.status, 200);
    assert.equal(
      ((await one.json()) as { d: { ConditionType: string } }).d.ConditionType,
      PROMOTION_CONDITION_TYPE,
    );
  });

  test('the port: one request per chunk of SKUs, each past discount against its list price then', async () => {
    const skus = [...withHistory.slice(0, 30), ...withoutAny.slice(0, 30)];
    const history = createSapPriceHistorySource(plainODataReader(client), { materialsPerCall: 40 });
    const result = await history.findPromotionalHistory(
      skus.map((n) => ({ sku: sku(n), from: FROM, to: TO })),
    );
    assert.equal(backends.state.counters.calls(VALIDITY), 2, 'ceil(60 / 40) requests');
    skus.forEach((n, i) => {
      const expected = conditions(n)
        .filter((c) => promotional(c) && inWindow(c))
        .map((c) => ({
          sku: sku(n),
          locationId: null,
          validFrom: new Date(c.validity.ConditionValidityStartDate as number)
            .toISOString()
            .slice(0, 10),
          validTo: new Date(c.validity.ConditionValidityEndDate as number)
            .toISOString()
            .slice(0, 10),
          promotionalAmount: perUnit(c).toFixed(2, 1),
          currency: 'EUR',
          discountPercent: expectedDiscount(n, c),
        }));
      assert.deepEqual(
        result[i]!.map(({ regularAmount: _r, ...rest }) => rest),
        expected,
        sku(n),
      );
      for (const r of result[i]!) assert.ok(new Big(r.regularAmount!).gt(r.promotionalAmount!));
    });
    assert.ok(
      result.slice(30).every((list) => list.length === 0),
      'SKUs without history: []',
    );
  });

  test('an ERP failure is BACKEND_UNAVAILABLE, never an empty history', async () => {
    backends.state.faults.add({ match: VALIDITY, status: 503 });
    const history = createSapPriceHistorySource(plainODataReader(client));
    await assert.rejects(
      history.findPromotionalHistory([{ sku: sku(withHistory[0]!), from: FROM, to: TO }]),
      (error: Error & { extensions?: Record<string, unknown> }) => {
        assert.equal(error.message, 'erp is unavailable: price history lookup failed (HTTP 503)');
        assert.equal(error.extensions?.code, 'BACKEND_UNAVAILABLE');
        return true;
      },
    );
  });

  test('the PRICING check fails closed when only the history read fails', async () => {
    const down = createBackendClient({
      name: 'erp',
      baseUrl: 'http://127.0.0.1:9',
      retries: 0,
      timeoutMs: EMULATOR_TIMEOUT_MS,
    });
    const pricing = await assemblePricingSubgraph(testSubgraphConfig({ erpUrl: backends.url }), {
      erp: client,
      cache: null,
      adapters: { priceHistory: createSapPriceHistorySource(plainODataReader(down)) },
    }).listen(0);
    try {
      const res = await fetch(pricing.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...principalHeaders() },
        body: JSON.stringify({
          query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Promotion { id priceImpact { check { passed } } } } }`,
          variables: {
            r: [
              {
                __typename: 'Promotion',
                id: 'p1',
                terms: {
                  skus: [sku(withHistory[0]!)],
                  locationIds: [],
                  channels: ['ECOMMERCE'],
                  startsAt: '2026-06-01T00:00:00Z',
                  offerKind: 'PERCENT_OFF',
                  percentOff: '5',
                  amountOff: null,
                  fixedPrice: null,
                  buyQuantity: null,
                  getQuantity: null,
                  getDiscountPercent: null,
                  bundlePrice: null,
                  currency: 'EUR',
                  expectedUnitsBySku: [],
                },
              },
            ],
          },
        }),
      });
      const body = (await res.json()) as {
        data?: { _entities: ({ priceImpact: unknown } | null)[] };
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      assert.equal(body.errors?.[0]?.extensions?.code, 'BACKEND_UNAVAILABLE', JSON.stringify(body));
      assert.match(body.errors![0]!.message, /^erp is unavailable: price history lookup failed/);
      assert.equal(body.data?._entities[0]?.priceImpact ?? null, null);
      assert.equal(backends.state.counters.calls(VALIDITY), 1, 'the price read itself answered');
    } finally {
      await pricing.close();
      await down.close();
    }
  });
});
