import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Big } from 'big.js';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { assemblePricingSubgraph } from '../../../subgraphs/pricing/assemble.ts';
import { NOW } from './pricing-data.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

/**
 * The pricing subgraph over HTTP against the real ERP emulator (backends/): wire format, request
 * counts (the emulator's call counters), precedence on seeded data, server paging, faults.
 */

const VALIDITY = 'API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity';
const SRV = '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity';
const sku = (n: number) => `SKU${String(n).padStart(6, '0')}`;

type Row = Record<string, unknown> & {
  to_SlsPrcgConditionRecord: Record<string, string | boolean>;
};
type Gql = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: unknown }[];
};

async function start(
  pageSize: number,
  batch = false,
): Promise<{ backends: RunningBackends; client: BackendClient; pricing: RunningSubgraph }> {
  const backends = await createBackendsServer({
    seed: { skus: 300, locations: 8, vendors: 5 },
    pageSize,
  }).listen(0);
  const client = createBackendClient({
    name: 'erp',
    baseUrl: backends.url,
    retries: 0,
    timeoutMs: EMULATOR_TIMEOUT_MS,
  });
  // No cache: every request's ERP calls are counted, per entity set unless `batch` (plain GETs
  // by default: the `$batch` that carries them in production has its own test, below).
  const pricing = await assemblePricingSubgraph(testSubgraphConfig({ erpUrl: backends.url }), {
    erp: client,
    cache: null,
    ...(batch ? {} : { sap: { batch: false } }),
    now: () => NOW,
  }).listen(0);
  return { backends, client, pricing };
}

async function gql(
  pricing: RunningSubgraph,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Gql> {
  const res = await fetch(pricing.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...principalHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Gql;
}

/** Raw validity rows straight from the emulator (independent of the adapter). */
async function rawValidities(backends: RunningBackends, filter: string): Promise<Row[]> {
  const res = await fetch(
    `${backends.url}${SRV}?$format=json&$expand=to_SlsPrcgConditionRecord&$filter=${encodeURIComponent(filter)}`,
  );
  return ((await res.json()) as { d: { results: Row[] } }).d.results;
}

const dayOf = (value: unknown) => Number(/\((\d+)/.exec(String(value))![1]);
const validOn = (row: Row, ms: number) =>
  dayOf(row.ConditionValidityStartDate) <= ms && dayOf(row.ConditionValidityEndDate) >= ms;
const unitPrice = (row: Row) =>
  new Big(String(row.to_SlsPrcgConditionRecord.ConditionRateValue))
    .div(String(row.to_SlsPrcgConditionRecord.ConditionQuantity))
    .toFixed(2, 1);

describe('pricing subgraph against the ERP emulator', () => {
  let backends: RunningBackends;
  let client: BackendClient;
  let pricing: RunningSubgraph;
  let stores: string[];
  const day = Date.UTC(2026, 2, 15);

  before(async () => {
    ({ backends, client, pricing } = await start(1000));
    const plants = (await (
      await fetch(`${backends.url}/sap/opu/odata/sap/API_PLANT_SRV/A_Plant?$format=json`)
    ).json()) as {
      d: { results: { Plant: string; YY1_LocationType: string }[] };
    };
    stores = plants.d.results.filter((p) => p.YY1_LocationType === 'STORE').map((p) => p.Plant);
  });
  after(async () => {
    await pricing.close();
    await client.close();
    await backends.close();
  });
  beforeEach(() => {
    backends.state.counters.reset();
    backends.state.faults.reset();
  });

  test('100 SKUs cost ceil(100 / 40) = 3 price requests and 3 product requests', async () => {
    const skus = Array.from({ length: 100 }, (_, i) => sku(i + 1));
    const result = await gql(
      pricing,
      `query ($skus: [String!]!) { products(skus: $skus) { sku name price(channel: MARKETPLACE) { amount { amount currency } kind } } }`,
      { skus },
    );
    assert.equal(result.errors, undefined);
    assert.equal(backends.state.counters.calls(VALIDITY), 3);
    assert.equal(backends.state.counters.calls('API_PRODUCT_SRV/A_Product'), 3);
    const products = result.data!.products as ({
      sku: string;
      name: string;
      price: { amount: { amount: string } };
    } | null)[];
    // Products marked for deletion in the ERP count as unknown (null); every other one has a name and a price.
    const deleted = (await (
      await fetch(
        `${backends.url}/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product?$format=json&$select=Product&$filter=IsMarkedForDeletion eq true`,
      )
    ).json()) as { d: { results: { Product: string }[] } };
    const deletedSkus = new Set(deleted.d.results.map((r) => r.Product));
    assert.deepEqual(
      products.map((p, i) => (p ? p.sku : `deleted ${skus[i]}`)),
      skus.map((s) => (deletedSkus.has(s) ? `deleted ${s}` : s)),
    );
    assert.ok(products.every((p) => !p || (p.name && p.price?.amount.amount)));

    // Same amounts as the ERP's own chain-wide marketplace list prices.
    const raw = await rawValidities(
      backends,
      `ConditionType eq 'PPR0' and DistributionChannel eq '30' and Plant eq '' and (Material eq '${sku(1)}' or Material eq '${sku(77)}')`,
    );
    for (const row of raw.filter((r) => validOn(r, day))) {
      const product = products.find((p) => p?.sku === row.Material)!;
      assert.equal(product.price.amount.amount, unitPrice(row));
    }
  });

  test('clearance wins while valid; a store-specific list price wins at its store only', async () => {
    const clearance = (
      await rawValidities(backends, `ConditionType eq 'ZCLR' and DistributionChannel eq '20'`)
    ).find((r) => validOn(r, day));
    assert.ok(clearance, 'the seed has a valid POS clearance price');
    const storeRows = (
      await rawValidities(
        backends,
        `ConditionType eq 'PPR0' and DistributionChannel eq '20' and Plant ne ''`,
      )
    ).filter((r) => validOn(r, day));
    const clearanceSkus = new Set(
      (await rawValidities(backends, `ConditionType eq 'ZCLR' and DistributionChannel eq '20'`))
        .filter((r) => validOn(r, day))
        .map((r) => r.Material),
    );
    const storeRow = storeRows.find((r) => !clearanceSkus.has(r.Material));
    assert.ok(storeRow, 'the seed has a store-specific POS list price');
    const store = String(storeRow.Plant);
    const otherStore = stores.find((s) => s !== store)!;
    const chainRow = (
      await rawValidities(
        backends,
        `ConditionType eq 'PPR0' and DistributionChannel eq '20' and Plant eq '' and Material eq '${String(storeRow.Material)}'`,
      )
    ).find((r) => validOn(r, day))!;

    const result = await gql(
      pricing,
      `query ($c: String!, $s: String!, $store: ID!, $other: ID!) {
        clearance: price(sku: $c, storeId: $store, channel: POS) { amount { amount } kind validTo }
        atStore: price(sku: $s, storeId: $store, channel: POS) { amount { amount } kind }
        elsewhere: price(sku: $s, storeId: $other, channel: POS) { amount { amount } kind }
      }`,
      { c: clearance.Material, s: storeRow.Material, store, other: otherStore },
    );
    assert.deepEqual(result, {
      data: {
        clearance: { amount: { amount: unitPrice(clearance) }, kind: 'CLEARANCE', validTo: null },
        atStore: { amount: { amount: unitPrice(storeRow) }, kind: 'REGULAR' },
        elsewhere: { amount: { amount: unitPrice(chainRow) }, kind: 'REGULAR' },
      },
    });
  });

  test('120 eligible offers (60 SKUs × 2 stores, web and app) cost 4 price requests', async () => {
    const representations = stores.slice(0, 2).flatMap((locationId) =>
      Array.from({ length: 60 }, (_, i) => ({
        __typename: 'EligibleOffer',
        promotionId: 'prm_1',
        sku: sku(i + 101),
        locationId,
        channel: i % 2 ? 'MOBILE' : 'ECOMMERCE',
        terms: { offerKind: 'PERCENT_OFF', percentOff: '10', currency: 'EUR' },
      })),
    );
    const result = await gql(
      pricing,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on EligibleOffer { regularPrice { amount } promotionalPrice { amount } } } }`,
      { r: representations },
    );
    assert.equal(result.errors, undefined);
    const offers = result.data!._entities as {
      regularPrice: { amount: string };
      promotionalPrice: { amount: string };
    }[];
    assert.equal(offers.length, 120);
    for (const offer of offers) {
      assert.equal(
        offer.promotionalPrice.amount,
        new Big(offer.regularPrice.amount).times('0.9').toFixed(2, 1),
      );
    }
    assert.equal(backends.state.counters.calls(VALIDITY), 4);
  });

  test('priceImpact: a deep discount breaches every floor, a small one passes', async () => {
    const terms = (percentOff: string) => ({
      skus: [sku(5), sku(6), sku(7)],
      locationIds: [],
      channels: ['ECOMMERCE'],
      startsAt: '2026-04-01T00:00:00Z',
      offerKind: 'PERCENT_OFF',
      percentOff,
      amountOff: null,
      fixedPrice: null,
      buyQuantity: null,
      getQuantity: null,
      getDiscountPercent: null,
      bundlePrice: null,
      currency: 'EUR',
      expectedUnitsBySku: [],
    });
    const result = await gql(
      pricing,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Promotion { id priceImpact {
        check { passed summary findings { code sku } } perSku { sku breachesFloor } } } } }`,
      {
        r: [
          { __typename: 'Promotion', id: 'deep', terms: terms('90') },
          { __typename: 'Promotion', id: 'small', terms: terms('5') },
        ],
      },
    );
    assert.deepEqual(result, {
      data: {
        _entities: [
          {
            id: 'deep',
            priceImpact: {
              check: {
                passed: false,
                // 90% off is under the margin floor and under cost, for every SKU, and far deeper
                // than any past promotion of theirs (the emulator's go to 40% at most).
                summary: '9 findings: 3 BELOW_MARGIN_FLOOR, 3 BELOW_COST, 3 DEEPER_THAN_HISTORY',
                findings: ['BELOW_MARGIN_FLOOR', 'BELOW_COST', 'DEEPER_THAN_HISTORY'].flatMap(
                  (code) => [sku(5), sku(6), sku(7)].map((s) => ({ code, sku: s })),
                ),
              },
              perSku: [sku(5), sku(6), sku(7)].map((s) => ({ sku: s, breachesFloor: true })),
            },
          },
          {
            id: 'small',
            priceImpact: {
              check: {
                passed: true,
                summary: '3 SKUs checked; every promotional price keeps the 10% minimum margin',
                findings: [],
              },
              perSku: [sku(5), sku(6), sku(7)].map((s) => ({ sku: s, breachesFloor: false })),
            },
          },
        ],
      },
    });
    // Both promotions share one price request, one price-history request (same start, same
    // window) and one valuation request.
    assert.equal(backends.state.counters.calls(VALIDITY), 2);
    assert.equal(backends.state.counters.calls('API_PRODUCT_SRV/A_ProductValuation'), 1);
  });

  test('an ERP fault is BACKEND_UNAVAILABLE on the field, without the ERP payload', async () => {
    backends.state.faults.add({ match: VALIDITY, status: 503 });
    const result = await gql(
      pricing,
      `{ price(sku: "${sku(1)}", storeId: "${stores[0]}", channel: POS) { kind } }`,
    );
    assert.deepEqual(result, {
      errors: [
        {
          message: 'erp is unavailable: price lookup failed (HTTP 503)',
          locations: [{ line: 1, column: 3 }],
          path: ['price'],
          extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
        },
      ],
      data: { price: null },
    });
  });

  test('server-driven paging (__next) is followed and gives the same prices', async () => {
    const paged = await start(5);
    try {
      const query = `query ($skus: [String!]!) { products(skus: $skus) { sku price(channel: POS) { amount { amount } kind } } }`;
      const skus = Array.from({ length: 30 }, (_, i) => sku(i + 200));
      const [expected, actual] = await Promise.all([
        gql(pricing, query, { skus }),
        gql(paged.pricing, query, { skus }),
      ]);
      assert.deepEqual(actual, expected);
      assert.ok(
        paged.backends.state.counters.calls(VALIDITY) >= 6,
        'follows at least ceil(30 / 5) pages',
      );
    } finally {
      await paged.pricing.close();
      await paged.client.close();
      await paged.backends.close();
    }
  });
});

describe('pricing subgraph against the ERP emulator, reads batched', () => {
  test('the price reads of requests in flight together go out as one $batch, same prices', async () => {
    // Uncached, batching as deployed (the default).
    const { backends, client, pricing } = await start(1000, true);
    const plain = await start(1000);
    try {
      const query = `query ($skus: [String!]!) { products(skus: $skus) { sku price(channel: ECOMMERCE) { amount { amount } } } }`;
      const pages = [
        [sku(1), sku(2)],
        [sku(3), sku(4)],
        [sku(5), sku(6)],
      ];
      await gql(pricing, query, { skus: [sku(9)] }); // the first read fetches the CSRF token
      backends.state.counters.reset();
      const batched = await Promise.all(pages.map((skus) => gql(pricing, query, { skus })));
      const routes = backends.state.counters.snapshot().routes;
      // Three requests' price reads in one call (and their product reads in another).
      assert.equal(routes['API_SLSPRICINGCONDITIONRECORD_SRV/$batch']?.calls, 1);
      assert.equal(routes[VALIDITY], undefined);
      assert.equal(routes['API_PRODUCT_SRV/$batch']?.calls, 1);
      const alone = await Promise.all(pages.map((skus) => gql(plain.pricing, query, { skus })));
      assert.deepEqual(batched, alone);
      for (const answer of batched) assert.equal(answer.errors, undefined);
    } finally {
      await pricing.close();
      await client.close();
      await backends.close();
      await plain.pricing.close();
      await plain.client.close();
      await plain.backends.close();
    }
  });
});
