import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Big from 'big.js';
import { waitUntilLive } from '../../helpers/activation.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

const SKUS = Array.from({ length: 50 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`);
const STORES = Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);

const CREATE = `mutation Create($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id version state } }
}`;

function draftInput(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    name: 'Winter sale',
    offer: { kind: 'PERCENT_OFF', percentOff: '20' },
    scope: { skus: SKUS },
    eligibility: { channels: ['ECOMMERCE', 'POS'], locationIds: STORES },
    window: {
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 7 * 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 10 },
    expectedUnits: SKUS.map((sku) => ({ sku, quantity: '5' })),
    ...overrides,
  };
}

/** Takes a draft through submit → approve → publish, as a user of the gateway would. */
async function launch(stack: TestStack, input: Record<string, unknown>): Promise<string> {
  const created = await stack.query<{
    createPromotionDraft: { promotion: { id: string; version: number } };
  }>(CREATE, { input });
  assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
  const { id } = created.body.data!.createPromotionDraft.promotion;
  let { version } = created.body.data!.createPromotionDraft.promotion;
  // The readiness gate has its own test (approval-readiness.test.ts): overridden here.
  for (const [step, args] of [
    ['submitPromotion', ''],
    ['approvePromotion', ', override: { reason: "fixture: readiness is not under test" }'],
  ]) {
    const res = await stack.query<Record<string, { promotion: { version: number } }>>(
      `mutation($id: ID!, $v: Int!) { ${step}(id: $id, expectedVersion: $v${args}) { promotion { version state } } }`,
      { id, v: version },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    version = res.body.data![step!]!.promotion.version;
  }
  const published = await stack.query(
    `mutation($id: ID!) { publishToChannels(promotionId: $id, channels: [ECOMMERCE, POS]) { promotion { state } } }`,
    { id },
  );
  assert.equal(published.body.errors, undefined, JSON.stringify(published.body.errors));
  await waitUntilLive(stack, id, ['ECOMMERCE', 'POS']);
  return id;
}

describe('federated promotion graph through the gateway', () => {
  let stack: TestStack;
  let promotionId: string;

  before(async () => {
    stack = await startTestStack();
    promotionId = await launch(stack, draftInput());
  });
  after(async () => stack?.close());

  test('eligibility for 50 SKUs x 10 stores, cold caches, makes a bounded number of ERP calls', async () => {
    stack.backends.state.counters.reset();
    const res = await stack.query<{
      eligiblePromotions: {
        sku: string;
        product: { stock: { status: string }[] };
        offers: {
          promotionId: string;
          regularPrice: { amount: string };
          promotionalPrice: { amount: string };
        }[];
      }[];
    }>(
      `query($skus: [String!]!, $stores: [ID!]!) {
        eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: $skus) {
          sku
          product { stock(locationIds: $stores) { status availableToPromise } }
          offers { promotionId regularPrice { amount } promotionalPrice { amount } }
        }
      }`,
      { skus: SKUS, stores: STORES },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const rows = res.body.data!.eligiblePromotions;
    assert.deepEqual(
      rows.map((r) => r.sku),
      SKUS,
    );
    for (const row of rows) {
      assert.equal(row.product.stock.length, STORES.length);
      assert.deepEqual(
        row.offers.map((o) => o.promotionId),
        [promotionId],
      );
      const offer = row.offers[0]!;
      assert.equal(
        offer.promotionalPrice.amount,
        new Big(offer.regularPrice.amount).times('0.8').round(2, Big.roundHalfUp).toFixed(2),
      );
    }
    const counters = stack.backends.state.counters.snapshot();
    console.log(
      `ERP calls for 50 SKUs x 10 stores: ${JSON.stringify(counters.routes)} total=${counters.total}`,
    );
    assert.ok(counters.total <= 10, `expected at most 10 ERP calls, got ${counters.total}`);
  });

  test('joins a promotion with its prices, stock and funding from all four subgraphs', async () => {
    const res = await stack.query<{
      promotion: {
        id: string;
        state: string;
        priceImpact: {
          check: { area: string };
          perSku: {
            sku: string;
            regularPrice: { amount: string };
            promotionalPrice: { amount: string };
          }[];
        };
        stockReadiness: {
          check: { area: string };
          locationsCovered: number;
          locationsShort: number;
        };
        funding: { check: { area: string; passed: boolean; summary: string } };
      };
      product: { price: { amount: { amount: string } } };
    }>(
      `query($id: ID!, $sku: String!) {
        promotion(id: $id) {
          id state
          priceImpact { check { area } perSku { sku regularPrice { amount } promotionalPrice { amount } } }
          stockReadiness { check { area } locationsCovered locationsShort }
          funding { check { area passed summary } }
        }
        product(sku: $sku) { price(channel: ECOMMERCE) { amount { amount } } }
      }`,
      { id: promotionId, sku: SKUS[0] },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const p = res.body.data!.promotion;
    assert.equal(p.id, promotionId);
    assert.equal(p.state, 'ACTIVE');
    assert.equal(p.priceImpact.check.area, 'PRICING');
    assert.equal(p.priceImpact.perSku.length, SKUS.length);
    for (const row of p.priceImpact.perSku) {
      const expected = new Big(row.regularPrice.amount)
        .times('0.8')
        .round(2, Big.roundHalfUp)
        .toFixed(2);
      assert.equal(row.promotionalPrice.amount, expected, row.sku);
    }
    assert.equal(p.stockReadiness.check.area, 'INVENTORY');
    assert.equal(
      p.stockReadiness.locationsCovered + p.stockReadiness.locationsShort,
      STORES.length,
    );
    assert.deepEqual(p.funding.check, {
      area: 'FUNDING',
      passed: true,
      summary: 'not vendor funded',
    });
  });

  test('a bundle offer: each SKU pays its pro-rata share, from the bundleSkus pricing requires', async () => {
    const bundle = ['SKU000101', 'SKU000102'];
    const id = await launch(
      stack,
      draftInput({
        name: 'Bundle of two',
        offer: {
          kind: 'BUNDLE_PRICE',
          bundle: {
            components: bundle.map((sku) => ({ sku, quantity: 1 })),
            bundlePrice: { amount: '5.00', currency: 'EUR' },
          },
        },
        scope: { skus: bundle },
        expectedUnits: bundle.map((sku) => ({ sku, quantity: '5' })),
      }),
    );
    const res = await stack.query<{
      eligiblePromotions: {
        sku: string;
        offers: {
          promotionId: string;
          bundleSkus: string[];
          regularPrice: { amount: string };
          promotionalPrice: { amount: string } | null;
        }[];
      }[];
    }>(
      `query($skus: [String!]!) {
        eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: $skus) {
          sku offers { promotionId bundleSkus regularPrice { amount } promotionalPrice { amount } }
        }
      }`,
      { skus: [...bundle, SKUS[0]!] },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const rows = res.body.data!.eligiblePromotions;
    const offers = bundle.map((sku) => rows.find((r) => r.sku === sku)!.offers[0]!);
    const regulars = offers.map((o) => new Big(o.regularPrice.amount));
    const total = regulars.reduce((a, b) => a.plus(b));
    for (const [i, offer] of offers.entries()) {
      assert.equal(offer.promotionId, id);
      assert.deepEqual(offer.bundleSkus, bundle);
      // The bundle price spread over the regular prices, to the cent.
      const share = new Big('5.00').times(regulars[i]!).div(total);
      assert.ok(
        share.minus(offer.promotionalPrice!.amount).abs().lte('0.01'),
        `${bundle[i]}: ${offer.promotionalPrice?.amount} vs ${share.toFixed(4)}`,
      );
    }
    const shares = offers.map((o) => new Big(o.promotionalPrice!.amount));
    assert.equal(shares.reduce((a, b) => a.plus(b)).toFixed(2), '5.00');
    // Any other kind of offer carries no SKU list.
    const percentOff = rows.find((r) => r.sku === SKUS[0])!.offers[0]!;
    assert.equal(percentOff.promotionId, promotionId);
    assert.deepEqual(percentOff.bundleSkus, []);
  });

  test('an ERP failure surfaces as BACKEND_UNAVAILABLE with a path, the rest of the answer intact', async () => {
    stack.backends.state.faults.add({
      match: 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod',
      status: 503,
    });
    try {
      const res = await stack.query<{ promotion: { id: string } | null; product: unknown }>(
        `query($id: ID!) { promotion(id: $id) { id } product(sku: "SKU000299") { sku availability(locationIds: ["S015"]) { status } } }`,
        { id: promotionId },
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, { promotion: { id: promotionId }, product: null });
      assert.equal(res.body.errors?.length, 1);
      assert.equal(res.body.errors?.[0]?.extensions?.code, 'BACKEND_UNAVAILABLE');
      assert.deepEqual(res.body.errors?.[0]?.path, ['product', 'availability']);
      assert.doesNotMatch(JSON.stringify(res.body), /MatlWrhsStk|A_MatlStkInAcctMod|innererror/);
    } finally {
      stack.backends.state.faults.reset();
    }
  });

  test('bad input is a typed error and writes nothing', async () => {
    const before = await stack.query<{ promotions: { edges: unknown[] } }>(
      '{ promotions(first: 100) { edges { cursor } } }',
    );
    const res = await stack.query(CREATE, {
      input: draftInput({
        offer: { kind: 'PERCENT_OFF', percentOff: '120' },
        scope: { skus: ['NOPE-1'] },
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(res.body.data, null);
    const afterList = await stack.query<{ promotions: { edges: unknown[] } }>(
      '{ promotions(first: 100) { edges { cursor } } }',
    );
    assert.equal(
      afterList.body.data!.promotions.edges.length,
      before.body.data!.promotions.edges.length,
    );
  });

  test('an illegal transition returns INVALID_STATE_TRANSITION naming the state and what is allowed', async () => {
    const current = await stack.query<{ promotion: { version: number } }>(
      'query($id: ID!) { promotion(id: $id) { version } }',
      { id: promotionId },
    );
    const res = await stack.query(
      'mutation($id: ID!, $v: Int!) { submitPromotion(id: $id, expectedVersion: $v) { promotion { id } } }',
      { id: promotionId, v: current.body.data!.promotion.version },
    );
    const error = res.body.errors?.[0];
    assert.equal(error?.extensions?.code, 'INVALID_STATE_TRANSITION', JSON.stringify(error));
    assert.equal(error?.extensions?.currentState, 'ACTIVE');
    assert.ok(Array.isArray(error?.extensions?.allowedTransitions));
  });
});
