import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hierarchyPath } from '../../../subgraphs/promotion/adapters/erp-product.adapter.ts';
import type { ScopeData } from '../../../subgraphs/promotion/model/promotion.model.ts';
import {
  matchScope,
  termsOfProduct,
  type ProductFacts,
} from '../../../subgraphs/promotion/model/scope-terms.ts';
import { createMemoryCache } from '../../../subgraphs/shared/cache/memory-cache.ts';
import {
  CREATE,
  createApproved,
  createPublished,
  createHarness,
  draftInput,
  firstError,
  type Harness,
} from './promotion-harness.ts';

const EMPTY: ScopeData = {
  skus: [],
  categoryIds: [],
  brandIds: [],
  hierarchyNodeIds: [],
  excludedSkus: [],
  excludedCategoryIds: [],
  excludedBrandIds: [],
  excludedHierarchyNodeIds: [],
};
const scope = (s: Partial<ScopeData>): ScopeData => ({ ...EMPTY, ...s });
const sku = (n: number): string => `SKU${String(n).padStart(6, '0')}`;
const FACTS: ProductFacts = {
  sku: 'SKU1',
  categoryId: 'GRP001',
  brandId: 'ACME',
  hierarchyNodeIds: ['01', '01001', '0100107'],
};

describe('scope terms (pure)', () => {
  test('a SKU is in scope by SKU, category, brand or any hierarchy node above it', () => {
    assert.equal(matchScope(scope({ skus: ['SKU1'] }), 'SKU1', null), 'IN');
    assert.equal(matchScope(scope({ categoryIds: ['GRP001'] }), 'SKU1', FACTS), 'IN');
    assert.equal(matchScope(scope({ brandIds: ['ACME'] }), 'SKU1', FACTS), 'IN');
    assert.equal(matchScope(scope({ hierarchyNodeIds: ['01'] }), 'SKU1', FACTS), 'IN');
    assert.equal(matchScope(scope({ hierarchyNodeIds: ['0100107'] }), 'SKU1', FACTS), 'IN');
    assert.equal(matchScope(scope({ hierarchyNodeIds: ['01002'] }), 'SKU1', FACTS), 'OUT');
    assert.equal(matchScope(scope({ categoryIds: ['GRP002'] }), 'SKU1', FACTS), 'OUT');
  });

  test('exclusions of every kind win, even over an explicit SKU', () => {
    const inc = { skus: ['SKU1'], categoryIds: ['GRP001'] };
    assert.equal(matchScope(scope({ ...inc, excludedSkus: ['SKU1'] }), 'SKU1', FACTS), 'EXCLUDED');
    assert.equal(
      matchScope(scope({ ...inc, excludedBrandIds: ['ACME'] }), 'SKU1', FACTS),
      'EXCLUDED',
    );
    assert.equal(
      matchScope(scope({ brandIds: ['ACME'], excludedCategoryIds: ['GRP001'] }), 'SKU1', FACTS),
      'EXCLUDED',
    );
    assert.equal(
      matchScope(scope({ ...inc, excludedHierarchyNodeIds: ['01001'] }), 'SKU1', FACTS),
      'EXCLUDED',
    );
  });

  test('a SKU the product master does not know: only explicit SKUs decide', () => {
    assert.equal(matchScope(scope({ categoryIds: ['GRP001'] }), 'SKU1', null), 'OUT');
    assert.equal(matchScope(scope({ skus: ['SKU1'], categoryIds: ['X'] }), 'SKU1', null), 'IN');
    assert.deepEqual(termsOfProduct(null), []);
  });

  test('hierarchy paths follow the level widths, as deep as the code reaches', () => {
    assert.deepEqual(hierarchyPath('0100107', [2, 3, 2]), ['01', '01001', '0100107']);
    assert.deepEqual(hierarchyPath('01001', [2, 3, 2]), ['01', '01001']);
    assert.deepEqual(hierarchyPath('0100', [2, 3, 2]), ['01']);
    assert.deepEqual(hierarchyPath(null, [2, 3, 2]), []);
    assert.deepEqual(hierarchyPath('AAAAABBBBBCCCCCCCC', [5, 5, 8]), [
      'AAAAA',
      'AAAAABBBBB',
      'AAAAABBBBBCCCCCCCC',
    ]);
  });
});

type Row = { sku: string; offers: { promotionId: string }[]; notApplied: { reason: string }[] };
const QUERY = `query ($skus: [String!]!) {
  eligiblePromotions(channel: POS, storeId: "S001", skus: $skus, at: "2026-03-15T00:00:00Z") {
    sku offers { promotionId } notApplied { promotionId reason }
  }
}`;
const WINDOW = {
  startsAt: '2026-03-10T00:00:00Z',
  endsAt: '2026-03-20T00:00:00Z',
  timeZone: 'UTC',
};

describe('eligibility with category, brand and hierarchy scopes (fake product master)', () => {
  let h: Harness;
  let now = 0;
  before(async () => {
    // The product facts cache runs on a test clock: `now` moves it past the 5 min fresh window.
    h = await createHarness({ cache: createMemoryCache({ now: () => now }) });
  });
  after(() => h.close());
  const offersOf = async (skus: string[]) => {
    const data = await h.run<{ eligiblePromotions: Row[] }>(QUERY, { skus });
    return Object.fromEntries(
      data.eligiblePromotions.map((r) => [r.sku, r.offers.map((o) => o.promotionId)]),
    );
  };

  test('only explicit SKUs published: the product master is not asked', async () => {
    await createPublished(h, { window: WINDOW, scope: { skus: ['SKU000050'] } }, ['POS']);
    const calls = h.master.factsCalls;
    await offersOf(['SKU000050', 'SKU000001']);
    assert.equal(h.master.factsCalls, calls);
  });

  test('category with a brand excluded, hierarchy node; one product master read per request', async () => {
    const cat = await createPublished(
      h,
      { window: WINDOW, scope: { categoryIds: ['CAT01'], excludedBrandIds: ['BOLT'] } },
      ['POS'],
    );
    const node = await createPublished(
      h,
      { window: WINDOW, scope: { hierarchyNodeIds: ['0102'], excludedSkus: ['SKU000012'] } },
      ['POS'],
    );
    const calls = h.master.factsCalls;
    const offers = await offersOf(['SKU000001', 'SKU000002', 'SKU000011', 'SKU000012', 'SKU999']);
    assert.deepEqual(offers, {
      SKU000001: [cat.id], // CAT01, ACME
      SKU000002: [], // CAT01 but BOLT: excluded
      SKU000011: [node.id], // under node 0102
      SKU000012: [], // excluded SKU
      SKU999: [], // unknown to the product master
    });
    assert.equal(h.master.factsCalls, calls + 1, 'one batched read for five SKUs');
    await offersOf(['SKU000001', 'SKU000011']);
    assert.equal(h.master.factsCalls, calls + 1, 'then from the cache');
  });

  test('a SKU moved into a category is covered once its cached facts expire', async () => {
    const cat = await createPublished(h, { window: WINDOW, scope: { categoryIds: ['CAT09'] } }, [
      'POS',
    ]);
    assert.deepEqual((await offersOf(['SKU000031']))['SKU000031'], []);
    h.master.recategorised.set('SKU000031', 'CAT09');
    assert.deepEqual((await offersOf(['SKU000031']))['SKU000031'], [], 'fresh for 5 minutes');
    now += 5 * 60_000 + 1;
    // Past `fresh`: served stale once while it is read again, then the new category.
    assert.deepEqual((await offersOf(['SKU000031']))['SKU000031'], []);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual((await offersOf(['SKU000031']))['SKU000031'], [cat.id]);
  });

  test('product master down and nothing cached: eligibility refuses, it does not guess', async () => {
    h.master.down = true;
    try {
      const result = await h.exec(QUERY, { skus: ['SKU000077'] });
      assert.equal(firstError(result).extensions.code, 'BACKEND_UNAVAILABLE');
    } finally {
      h.master.down = false;
    }
  });
});

describe('scope input validation', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());
  const problemsOf = async (overrides: Record<string, unknown>) => {
    const result = await h.exec(CREATE, { input: draftInput(overrides) });
    const { extensions } = firstError(result);
    assert.equal(extensions.code, 'BAD_USER_INPUT');
    return extensions.problems;
  };

  test('unknown categories, brands and nodes; duplicates; included and excluded at once', async () => {
    assert.deepEqual(
      await problemsOf({
        scope: {
          categoryIds: ['CAT01', 'CAT77', 'CAT01'],
          brandIds: ['NOPE'],
          hierarchyNodeIds: ['0199'],
          excludedBrandIds: ['ACME'],
          excludedCategoryIds: ['CAT01'],
        },
      }),
      [
        { field: 'input.scope.categoryIds', message: 'must not contain duplicates: CAT01' },
        { field: 'input.scope.excludedCategoryIds', message: 'must not also be included: CAT01' },
        { field: 'input.scope.categoryIds', message: 'unknown categories: CAT77' },
        { field: 'input.scope.brandIds', message: 'unknown brands: NOPE' },
        { field: 'input.scope.hierarchyNodeIds', message: 'unknown hierarchy nodes: 0199' },
      ],
    );
  });

  test('expected units: a SKU of the category is in scope, another is not', async () => {
    assert.deepEqual(
      await problemsOf({
        scope: { categoryIds: ['CAT01'] },
        expectedUnits: [
          { sku: 'SKU000003', quantity: '10' },
          { sku: 'SKU000042', quantity: '5' },
        ],
      }),
      [{ field: 'input.expectedUnits', message: 'SKUs not in scope: SKU000042' }],
    );
  });

  test('a scope of brands alone is a scope', async () => {
    const result = await h.exec(CREATE, { input: draftInput({ scope: { brandIds: ['ACME'] } }) });
    assert.equal(result.errors, undefined);
  });
});

describe('scope expansion: Promotion.terms and approval readiness', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());
  const TERMS = `query ($id: ID!) { promotion(id: $id) { terms { skus } } }`;

  test('categories, brands and nodes expand through the product master, exclusions applied', async () => {
    const { id } = await createApproved(h, {
      scope: {
        skus: ['SKU000095'],
        categoryIds: ['CAT01'],
        hierarchyNodeIds: ['0102'],
        excludedBrandIds: ['BOLT'],
        excludedSkus: ['SKU000013'],
      },
    });
    // CAT01 and node 0102 (SKU000001..20), odd (ACME) only, without SKU000013; SKU000095 is
    // ACME too. The approval's readiness checked exactly these.
    const expected = ['SKU000095', ...[1, 3, 5, 7, 9, 11, 15, 17, 19].map(sku)];
    const data = await h.run<{ promotion: { terms: { skus: string[] } } }>(TERMS, { id });
    assert.deepEqual(data.promotion.terms.skus, expected);
    assert.deepEqual(h.gate.checkedSkus.at(-1), expected);
  });

  test('a scope past 1000 SKUs is refused at approval, nothing changed', async () => {
    const big = await createHarness();
    try {
      for (let n = 101; n <= 2101; n++) big.master.skus.add(sku(n)); // 1,051 ACME
      const created = await big.run<{ createPromotionDraft: { promotion: { id: string } } }>(
        CREATE,
        { input: draftInput({ scope: { brandIds: ['ACME'] } }) },
      );
      const { id } = created.createPromotionDraft.promotion;
      await big.run(
        `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
      );
      const calls = big.gate.calls;
      const result = await big.exec(
        `mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`,
      );
      const error = firstError(result);
      assert.equal(error.extensions.code, 'BAD_USER_INPUT');
      assert.match(error.message, /covers more than 1000 SKUs/);
      assert.equal(big.gate.calls, calls, 'readiness was not asked');
      assert.equal((await big.app.repository.get(id))?.version, 2, 'nothing changed');
    } finally {
      await big.close();
    }
  });
});
