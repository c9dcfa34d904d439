import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import {
  evaluateSku,
  isLiveAt,
  stack,
} from '../../../subgraphs/promotion/eligibility/eligibility.ts';
import {
  ActivationMode,
  ChannelIntent,
  DeliveryStatus,
  DiscountClass,
  PromotionState,
  StackingMode,
} from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type { PromotionRecord } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { newPublication } from '../../../subgraphs/promotion/delivery/channel-payload.ts';
import { createHarness, createPublished, firstError, type Harness } from './promotion-harness.ts';
import { eventDraft } from '../../integration/storage/storage-fixtures.ts';

const AT = new Date('2026-03-15T12:00:00Z');

function promo(id: string, seq: number, patch: Partial<PromotionRecord> = {}): PromotionRecord {
  return {
    id,
    seq,
    version: 4,
    state: PromotionState.ACTIVE,
    name: id,
    description: null,
    customerDisplayName: null,
    currency: 'EUR',
    vendorId: null,
    fundingAgreementId: null,
    vendorSharePercent: null,
    offer: { kind: 'PERCENT_OFF', percentOff: '10' } as PromotionRecord['offer'],
    scope: {
      skus: ['A'],
      categoryIds: [],
      brandIds: [],
      excludedSkus: [],
      excludedCategoryIds: [],
      hierarchyNodeIds: [],
      excludedBrandIds: [],
      excludedHierarchyNodeIds: [],
    },
    eligibility: {
      channels: [SalesChannel.POS],
      locationIds: [],
      regionIds: [],
      customerSegments: [],
      requiresCode: false,
    },
    window: {
      startsAt: '2026-03-10T00:00:00Z',
      endsAt: '2026-03-20T00:00:00Z',
      timeZone: 'UTC',
      mode: 'ABSOLUTE',
    } as PromotionRecord['window'],
    stacking: { mode: StackingMode.STACKABLE, discountClass: DiscountClass.PRODUCT, priority: 100 },
    limits: null,
    expectedUnits: [],
    activationMode: ActivationMode.ALL_OR_NONE,
    activationHold: null,
    stockHolds: [],
    replenishments: [],
    coveredSkus: null,
    channels: [
      {
        channel: SalesChannel.POS,
        intent: ChannelIntent.LIVE,
        acknowledgedIntent: ChannelIntent.LIVE,
        held: false,
      } as PromotionRecord['channels'][number],
    ],
    approvalReadiness: null,
    externalRefs: [],
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
    ...patch,
  };
}

const req = { channel: SalesChannel.POS, storeId: 'S001', at: AT };
const stacking = (mode: StackingMode, priority: number, discountClass = DiscountClass.PRODUCT) => ({
  mode,
  priority,
  discountClass,
});

describe('eligibility rules (pure)', () => {
  test('each reason a promotion does not apply', () => {
    const candidates = [
      promo('live', 1),
      promo('suspended', 2, { state: PromotionState.SUSPENDED }),
      promo('other-channel', 3, {
        eligibility: { ...promo('x', 0).eligibility, channels: [SalesChannel.ECOMMERCE] },
      }),
      promo('intent-suspended', 4, {
        channels: [
          {
            channel: SalesChannel.POS,
            intent: ChannelIntent.SUSPENDED,
          } as PromotionRecord['channels'][number],
        ],
      }),
      promo('later', 5, { window: { ...promo('x', 0).window, startsAt: '2026-03-16T00:00:00Z' } }),
      promo('excluded', 6, { scope: { ...promo('x', 0).scope, skus: ['B'], excludedSkus: ['A'] } }),
      promo('other-store', 7, {
        eligibility: { ...promo('x', 0).eligibility, locationIds: ['S002'] },
      }),
      promo('members', 8, {
        eligibility: { ...promo('x', 0).eligibility, customerSegments: ['GOLD'] },
      }),
      promo('coupon', 9, { eligibility: { ...promo('x', 0).eligibility, requiresCode: true } }),
    ];
    assert.deepEqual(evaluateSku('A', candidates, req), {
      sku: 'A',
      offers: [{ promotion: candidates[0], applicationOrder: 1 }],
      notApplied: [
        { promotionId: 'suspended', vendorId: null, reason: 'PROMOTION_NOT_LIVE' },
        { promotionId: 'other-channel', vendorId: null, reason: 'CHANNEL_NOT_ELIGIBLE' },
        { promotionId: 'intent-suspended', vendorId: null, reason: 'PROMOTION_NOT_LIVE' },
        { promotionId: 'later', vendorId: null, reason: 'NOT_IN_WINDOW' },
        { promotionId: 'excluded', vendorId: null, reason: 'SKU_EXCLUDED' },
        { promotionId: 'other-store', vendorId: null, reason: 'LOCATION_NOT_ELIGIBLE' },
        { promotionId: 'members', vendorId: null, reason: 'SEGMENT_NOT_ELIGIBLE' },
        { promotionId: 'coupon', vendorId: null, reason: 'CODE_REQUIRED' },
      ],
    });
    // With the segment, the members-only promotion applies too.
    const gold = evaluateSku('A', candidates, { ...req, customerSegment: 'GOLD' });
    assert.deepEqual(
      gold.offers.map((o) => o.promotion.id),
      ['live', 'members'],
    );
  });

  test('stacking: class, then priority; exclusive in class; exclusive global', () => {
    const a = promo('a', 1, { stacking: stacking(StackingMode.STACKABLE, 50) });
    const b = promo('b', 2, { stacking: stacking(StackingMode.STACKABLE, 10) });
    const c = promo('c', 3, { stacking: stacking(StackingMode.STACKABLE, 5, DiscountClass.ORDER) });
    assert.deepEqual(
      stack([a, b, c]).applied.map((p) => p.id),
      ['b', 'a', 'c'],
    );

    const x1 = promo('x1', 4, { stacking: stacking(StackingMode.EXCLUSIVE_IN_CLASS, 60) });
    const x2 = promo('x2', 5, { stacking: stacking(StackingMode.EXCLUSIVE_IN_CLASS, 30) });
    const inClass = evaluateSku('A', [a, b, c, x1, x2], req);
    assert.deepEqual(
      inClass.offers.map((o) => [o.promotion.id, o.applicationOrder]),
      [
        ['x2', 1],
        ['c', 2],
      ],
    );
    assert.deepEqual(inClass.notApplied, [
      { promotionId: 'a', vendorId: null, reason: 'SUPERSEDED_BY_EXCLUSIVE' },
      { promotionId: 'b', vendorId: null, reason: 'SUPERSEDED_BY_EXCLUSIVE' },
      { promotionId: 'x1', vendorId: null, reason: 'SUPERSEDED_BY_EXCLUSIVE' },
    ]);

    const g1 = promo('g1', 6, { stacking: stacking(StackingMode.EXCLUSIVE_GLOBAL, 200) });
    const g2 = promo('g2', 7, {
      stacking: stacking(StackingMode.EXCLUSIVE_GLOBAL, 20, DiscountClass.SHIPPING),
    });
    const global = evaluateSku('A', [a, b, c, x1, g1, g2], req);
    assert.deepEqual(
      global.offers.map((o) => [o.promotion.id, o.applicationOrder]),
      [['g2', 1]],
    );
    assert.deepEqual(
      global.notApplied.map((n) => `${n.promotionId}:${n.reason}`),
      [
        'a:SUPERSEDED_BY_EXCLUSIVE',
        'b:SUPERSEDED_BY_EXCLUSIVE',
        'c:SUPERSEDED_BY_EXCLUSIVE',
        'x1:SUPERSEDED_BY_EXCLUSIVE',
        'g1:SUPERSEDED_BY_EXCLUSIVE',
      ],
    );
  });

  test('isLiveAt reads the window, not the stored state', () => {
    const p = promo('p', 1, { state: PromotionState.ACTIVE });
    assert.equal(isLiveAt(p, AT), true);
    assert.equal(
      isLiveAt(p, new Date('2026-03-20T00:00:00Z')),
      false,
      'a late scheduler never shows a stale ACTIVE',
    );
    assert.equal(isLiveAt(promo('s', 2, { state: PromotionState.SCHEDULED }), AT), true);
    assert.equal(
      isLiveAt(
        promo('l', 3, { eligibility: { ...p.eligibility, locationIds: ['S002'] } }),
        AT,
        'S001',
      ),
      false,
    );
    assert.equal(isLiveAt(promo('d', 4, { state: PromotionState.SUSPENDED }), AT), false);
  });
});

type Row = {
  sku: string;
  product: { sku: string };
  offers: {
    promotionId: string;
    applicationOrder: number;
    locationId: string;
    channel: string;
    promotion: { name: string };
    terms: { percentOff: string };
  }[];
  notApplied: { promotionId: string; reason: string }[];
};

describe('eligiblePromotions through the schema', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  const QUERY = `query ($skus: [String!]!, $seg: String, $at: DateTime, $store: ID!, $ch: SalesChannel!) {
    eligiblePromotions(channel: $ch, storeId: $store, skus: $skus, customerSegment: $seg, at: $at) {
      sku product { sku }
      offers { promotionId applicationOrder locationId channel promotion { name } terms { percentOff } }
      notApplied { promotionId reason }
    }
  }`;

  before(async () => {
    h = await createHarness();
    const base = {
      window: { startsAt: '2026-03-10T00:00:00Z', endsAt: '2026-03-20T00:00:00Z', timeZone: 'UTC' },
    };
    ids.all = (
      await createPublished(h, {
        ...base,
        name: 'all',
        scope: { skus: ['SKU000001', 'SKU000002'] },
      })
    ).id;
    ids.store = (
      await createPublished(
        h,
        {
          ...base,
          name: 'store',
          offer: { kind: 'PERCENT_OFF', percentOff: '5' },
          scope: { skus: ['SKU000001'] },
          eligibility: { channels: ['POS'], locationIds: ['S002'] },
        },
        ['POS'],
      )
    ).id;
    ids.gold = (
      await createPublished(
        h,
        {
          ...base,
          name: 'gold',
          offer: { kind: 'PERCENT_OFF', percentOff: '15' },
          scope: { skus: ['SKU000001'] },
          eligibility: { channels: ['POS'], customerSegments: ['GOLD'] },
          stacking: { mode: 'EXCLUSIVE_IN_CLASS', priority: 1 },
        },
        ['POS'],
      )
    ).id;
    ids.excl = (
      await createPublished(
        h,
        {
          ...base,
          name: 'excl',
          scope: { categoryIds: ['CAT01'], excludedSkus: ['SKU000002'] },
        },
        ['POS'],
      )
    ).id;
  });
  after(() => h.close());

  test('one row per requested SKU in input order, with reasons', async () => {
    const data = await h.run<{ eligiblePromotions: Row[] }>(QUERY, {
      ch: 'POS',
      store: 'S001',
      skus: ['SKU000002', 'SKU000001', 'SKU000099', 'SKU000001'],
      at: '2026-03-15T00:00:00Z',
    });
    const all = {
      promotionId: ids.all,
      applicationOrder: 1,
      locationId: 'S001',
      channel: 'POS',
      promotion: { name: 'all' },
      terms: { percentOff: '10' },
    };
    // SKU000001 is in CAT01 (the product master): the category offer applies, after `all`.
    const category = {
      ...all,
      promotionId: ids.excl,
      applicationOrder: 2,
      promotion: { name: 'excl' },
    };
    assert.deepEqual(data.eligiblePromotions, [
      {
        sku: 'SKU000002',
        product: { sku: 'SKU000002' },
        offers: [all],
        notApplied: [{ promotionId: ids.excl, reason: 'SKU_EXCLUDED' }],
      },
      {
        sku: 'SKU000001',
        product: { sku: 'SKU000001' },
        offers: [all, category],
        notApplied: [
          { promotionId: ids.store, reason: 'LOCATION_NOT_ELIGIBLE' },
          { promotionId: ids.gold, reason: 'SEGMENT_NOT_ELIGIBLE' },
        ],
      },
      { sku: 'SKU000099', product: { sku: 'SKU000099' }, offers: [], notApplied: [] },
      {
        sku: 'SKU000001',
        product: { sku: 'SKU000001' },
        offers: [all, category],
        notApplied: [
          { promotionId: ids.store, reason: 'LOCATION_NOT_ELIGIBLE' },
          { promotionId: ids.gold, reason: 'SEGMENT_NOT_ELIGIBLE' },
        ],
      },
    ]);
  });

  test('segment and store: the exclusive-in-class offer wins its class', async () => {
    const data = await h.run<{ eligiblePromotions: Row[] }>(QUERY, {
      ch: 'POS',
      store: 'S002',
      skus: ['SKU000001'],
      seg: 'GOLD',
      at: '2026-03-15T00:00:00Z',
    });
    const [row] = data.eligiblePromotions;
    assert.deepEqual(
      row!.offers.map((o) => [o.promotion.name, o.applicationOrder]),
      [['gold', 1]],
    );
    assert.deepEqual(row!.notApplied, [
      { promotionId: ids.all, reason: 'SUPERSEDED_BY_EXCLUSIVE' },
      { promotionId: ids.store, reason: 'SUPERSEDED_BY_EXCLUSIVE' },
      { promotionId: ids.excl, reason: 'SUPERSEDED_BY_EXCLUSIVE' },
    ]);
  });

  test('window and channel intent', async () => {
    const early = await h.run<{ eligiblePromotions: Row[] }>(QUERY, {
      ch: 'POS',
      store: 'S001',
      skus: ['SKU000002'],
      at: '2026-03-09T23:59:59Z',
    });
    assert.deepEqual(early.eligiblePromotions[0]!.notApplied, [
      { promotionId: ids.all, reason: 'NOT_IN_WINDOW' },
      { promotionId: ids.excl, reason: 'SKU_EXCLUDED' },
    ]);
    const mobile = await h.run<{ eligiblePromotions: Row[] }>(QUERY, {
      ch: 'MOBILE',
      store: 'S001',
      skus: ['SKU000002'],
      at: '2026-03-15T00:00:00Z',
    });
    assert.deepEqual(
      mobile.eligiblePromotions[0]!.notApplied.map((n) => n.reason),
      ['CHANNEL_NOT_ELIGIBLE', 'SKU_EXCLUDED'],
    );

    h.clock.set('2026-03-15T00:00:00Z');
    await h.run(
      `mutation { suspendPromotion(promotionId: "${ids.all}", reason: {code: PRICING_ERROR}, channels: [POS]) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();
    const pos = await h.run<{ eligiblePromotions: Row[] }>(QUERY, {
      ch: 'POS',
      store: 'S001',
      skus: ['SKU000002'],
    });
    assert.deepEqual(pos.eligiblePromotions[0]!.notApplied[0], {
      promotionId: ids.all,
      reason: 'PROMOTION_NOT_LIVE',
    });
    const ecommerce = await h.run<{ eligiblePromotions: Row[] }>(QUERY, {
      ch: 'ECOMMERCE',
      store: 'S001',
      skus: ['SKU000002'],
    });
    assert.deepEqual(
      ecommerce.eligiblePromotions[0]!.offers.map((o) => o.promotionId),
      [ids.all],
    );

    const products = await h.run<{ _entities: { activePromotions: { name: string }[] }[] }>(
      `{ _entities(representations: [{__typename: "Product", sku: "SKU000002"}, {__typename: "Product", sku: "SKU000001"}]) {
          ... on Product { activePromotions(channel: ECOMMERCE, storeId: "S002") { name } } } }`,
    );
    assert.deepEqual(products._entities, [
      { activePromotions: [{ name: 'all' }] },
      { activePromotions: [{ name: 'all' }] },
    ]);
  });

  test('at most 200 SKUs', async () => {
    const skus = Array.from({ length: 201 }, (_, i) => `SKU${i}`);
    const result = await h.exec(QUERY, { ch: 'POS', store: 'S001', skus });
    assert.deepEqual(firstError(result), {
      message: 'skus must have at most 200 entries',
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'skus', message: 'must have at most 200 SKUs' }],
      },
    });
  });

  test('50 SKUs against 600 published promotions: one index lookup, no scan', async () => {
    for (let i = 0; i < 600; i++) {
      const record = promo(`bulk-${i}`, 0, {
        scope: { ...promo('x', 0).scope, skus: [`BULK${i % 120}`] },
      });
      await h.app.repository.commit({
        record,
        expected: null,
        // Live and acknowledged at POS: nothing for the dispatcher to send.
        publications: [
          {
            ...newPublication(record, SalesChannel.POS, ChannelIntent.LIVE),
            status: DeliveryStatus.ACKNOWLEDGED,
            publishedVersion: record.version,
            acknowledgedIntent: ChannelIntent.LIVE,
          },
        ],
        audit: [],
        events: [eventDraft(record, null)],
      });
    }
    const skus = Array.from({ length: 50 }, (_, i) => `BULK${i}`);
    const variables = { ch: 'POS', store: 'S001', skus, at: '2026-03-15T00:00:00Z' };
    // Speed belongs to the benchmarks; here: one lookup of the in-memory index for all SKUs,
    // and no database read at all (neither the SQL index nor a list scan).
    const repository = h.app.repository;
    const published = h.app.published;
    const calls: string[] = [];
    const lookup = published.findPublishedBySkus.bind(published);
    const sqlLookup = repository.findPublishedBySkus.bind(repository);
    const list = repository.list.bind(repository);
    published.findPublishedBySkus = (skus) => (calls.push(`memory:${skus.length}`), lookup(skus));
    repository.findPublishedBySkus = (skus) => (calls.push('sql'), sqlLookup(skus));
    repository.list = (query) => (calls.push('list'), list(query));
    try {
      const data = await h.run<{ eligiblePromotions: Row[] }>(QUERY, variables);
      assert.equal(data.eligiblePromotions.length, 50);
      assert.equal(data.eligiblePromotions[0]!.offers.length, 5);
      assert.deepEqual(calls, ['memory:50']);
    } finally {
      published.findPublishedBySkus = lookup;
      repository.findPublishedBySkus = sqlLookup;
      repository.list = list;
    }
  });
});
