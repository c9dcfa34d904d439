import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

const PRODUCT_SRV = '/sap/opu/odata/sap/API_PRODUCT_SRV';
const PRODUCT_CALLS = 'API_PRODUCT_SRV/A_Product';
/** How long the product master's facts stay fresh in this stack (then they are read again). */
const PRODUCTS_FRESH_MS = 400;

const CREATE = `mutation Create($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id } }
}`;
const ELIGIBLE = `query ($skus: [String!]!) {
  eligiblePromotions(channel: POS, storeId: "S001", skus: $skus) {
    sku offers { promotionId } notApplied { promotionId reason }
  }
}`;
type Row = {
  sku: string;
  offers: { promotionId: string }[];
  notApplied: { promotionId: string; reason: string }[];
};

/**
 * A category-wide offer through the real stack: the gateway, the four subgraphs and the emulated
 * ERP. The scope is expanded through the ERP product master for approval readiness and
 * `Promotion.terms`; eligibility finds it from each SKU's product facts (one batched ERP read per
 * request, none once cached); a SKU moved into the category in the ERP is covered once its facts
 * are read again, without editing the promotion.
 */
describe('category scopes through the gateway and the emulated ERP', () => {
  let stack: TestStack;
  let group: string;
  let members: string[];
  let outsider: string;
  let promotionId: string;

  const erpCalls = () => stack.backends.state.counters.calls(PRODUCT_CALLS);
  const eligible = async (skus: string[]) => {
    const res = await stack.query<{ eligiblePromotions: Row[] }>(ELIGIBLE, { skus });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    return res.body.data!.eligiblePromotions;
  };
  const offered = (rows: Row[], sku: string) =>
    rows.find((r) => r.sku === sku)!.offers.some((o) => o.promotionId === promotionId);

  before(async () => {
    stack = await startTestStack({
      skus: 120,
      locations: 3,
      vendors: 2,
      cachePolicy: {
        products: { freshMs: PRODUCTS_FRESH_MS, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 },
      },
    });
    const products = stack.backends.state.erp.seed.products.filter((p) => !p.IsMarkedForDeletion);
    group = String(products[0]!.ProductGroup);
    members = products.filter((p) => p.ProductGroup === group).map((p) => String(p.Product));
    outsider = String(products.find((p) => p.ProductGroup !== group)!.Product);
    assert.ok(members.length >= 2, `group ${group} has ${members.length} products`);
  });
  after(async () => stack?.close());

  test('a category draft is approved over its expanded SKUs and published', async () => {
    const now = Date.now();
    const created = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      {
        input: {
          name: `Category ${group}`,
          offer: { kind: 'PERCENT_OFF', percentOff: '1' },
          scope: { categoryIds: [group], excludedSkus: [members[0]] },
          eligibility: { channels: ['POS'] },
          window: {
            startsAt: new Date(now - 60_000).toISOString(),
            endsAt: new Date(now + 7 * 86_400_000).toISOString(),
            timeZone: 'Europe/Berlin',
          },
          stacking: { mode: 'STACKABLE', priority: 10 },
        },
      },
    );
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    promotionId = created.body.data!.createPromotionDraft.promotion.id;
    const terms = await stack.query<{ promotion: { terms: { skus: string[] } } }>(
      `{ promotion(id: "${promotionId}") { terms { skus } } }`,
    );
    assert.deepEqual(terms.body.data!.promotion.terms.skus.sort(), members.slice(1).sort());
    for (const [i, step] of [
      `submitPromotion(id: "${promotionId}", expectedVersion: 1) { eventCursor }`,
      // Readiness over the category's SKUs decides nothing here: the override keeps it out.
      `approvePromotion(id: "${promotionId}", expectedVersion: 2, override: {reason: "test"}) { promotion { approvalReadiness { checks { area summary } } } }`,
      `publishToChannels(promotionId: "${promotionId}", channels: [POS]) { eventCursor }`,
    ].entries()) {
      const res = await stack.query(`mutation { ${step} }`);
      assert.equal(res.body.errors, undefined, `step ${i}: ${JSON.stringify(res.body.errors)}`);
    }
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await eligible([members[1]!]);
      if (offered(rows, members[1]!)) break;
      assert.ok(Date.now() < deadline, 'live in POS within 10 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The channel gets the terms and the SKUs they covered at approval.
    const payload = stack.backends.state.channels
      .received('pos')
      .map(
        (m) =>
          m.body as {
            promotionId: string;
            coveredSkus?: string[];
            scope: { categoryIds: string[] };
          },
      )
      .filter((b) => b.promotionId === promotionId)
      .at(-1)!;
    assert.deepEqual(payload.scope.categoryIds, [group]);
    assert.deepEqual([...payload.coveredSkus!].sort(), members.slice(1).sort());
  });

  test('eligibility: one batched product-master read per request, none once cached', async () => {
    await new Promise((r) => setTimeout(r, PRODUCTS_FRESH_MS + 50));
    const skus = Array.from({ length: 40 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`);
    const before = erpCalls();
    const rows = await eligible(skus);
    assert.equal(erpCalls() - before, 1, '40 SKUs: one A_Product read');
    for (const sku of skus) {
      const expected = sku !== members[0] && members.includes(sku);
      assert.equal(offered(rows, sku), expected, sku);
    }
    assert.deepEqual(rows.find((r) => r.sku === members[0])?.notApplied, [
      { promotionId, reason: 'SKU_EXCLUDED' },
    ]);
    const again = erpCalls();
    await eligible(skus);
    assert.equal(erpCalls(), again, 'from the cache');
  });

  test('a SKU moved into the category in the ERP is covered without editing the promotion', async () => {
    assert.equal(offered(await eligible([outsider]), outsider), false);
    const url = `${stack.backends.url}${PRODUCT_SRV}/A_Product('${outsider}')`;
    const fetched = await fetch(url, { headers: { 'x-csrf-token': 'Fetch' } });
    await fetched.arrayBuffer();
    const patched = await fetch(url, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': fetched.headers.get('x-csrf-token')!,
        cookie: fetched.headers.get('set-cookie')!.split(';')[0]!,
        'if-match': fetched.headers.get('etag')!,
      },
      body: JSON.stringify({ ProductGroup: group }),
    });
    assert.equal(patched.status, 204, await patched.text());
    await new Promise((r) => setTimeout(r, PRODUCTS_FRESH_MS + 50));
    assert.equal(offered(await eligible([outsider]), outsider), true);
    const terms = await stack.query<{ promotion: { terms: { skus: string[] } } }>(
      `{ promotion(id: "${promotionId}") { terms { skus } } }`,
    );
    assert.ok(terms.body.data!.promotion.terms.skus.includes(outsider));
  });

  test('the product master failing with nothing cached: BACKEND_UNAVAILABLE, not a guess', async () => {
    await new Promise((r) => setTimeout(r, PRODUCTS_FRESH_MS + 50));
    const fault = stack.backends.state.faults.add({ match: PRODUCT_CALLS, status: 503 });
    try {
      const res = await stack.query(ELIGIBLE, { skus: [members[1]] });
      assert.equal(res.body.errors?.[0]?.extensions?.code, 'BACKEND_UNAVAILABLE');
      assert.equal(res.body.data?.eligiblePromotions ?? null, null);
    } finally {
      stack.backends.state.faults.remove(fault.id);
    }
  });
});
