import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREATE,
  createHarness,
  createPublished,
  draftInput,
  firstError,
  type Harness,
} from './promotion-harness.ts';

type Page = {
  promotions: {
    edges: { cursor: string; node: { name: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const LIST = `query ($first: Int, $after: String, $filter: PromotionFilter) {
  promotions(first: $first, after: $after, filter: $filter) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } }
}`;

describe('promotions connection and audit pagination', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    for (let i = 1; i <= 5; i++) {
      await h.run(CREATE, {
        input: draftInput({
          name: `Draft ${i}`,
          vendorId: i % 2 ? 'V100001' : null,
          fundingAgreementId: i % 2 ? 'CC1' : null,
          scope: { skus: [`SKU00000${i}`] },
          eligibility: { channels: i <= 2 ? ['MOBILE'] : ['POS'] },
        }),
      });
    }
    await createPublished(
      h,
      { name: 'Live one', description: 'Espresso beans', scope: { skus: ['SKU000010'] } },
      ['POS'],
    );
  });
  after(() => h.close());

  test('newest first, forward pages with opaque cursors', async () => {
    const first = await h.run<Page>(LIST, { first: 4 });
    assert.deepEqual(
      first.promotions.edges.map((e) => e.node.name),
      ['Live one', 'Draft 5', 'Draft 4', 'Draft 3'],
    );
    assert.equal(first.promotions.pageInfo.hasNextPage, true);
    assert.equal(first.promotions.pageInfo.endCursor, first.promotions.edges[3]!.cursor);
    assert.doesNotMatch(first.promotions.pageInfo.endCursor!, /^\d+$/);
    const second = await h.run<Page>(LIST, {
      first: 4,
      after: first.promotions.pageInfo.endCursor,
    });
    assert.deepEqual(
      second.promotions.edges.map((e) => e.node.name),
      ['Draft 2', 'Draft 1'],
    );
    assert.deepEqual(second.promotions.pageInfo, {
      hasNextPage: false,
      endCursor: second.promotions.edges[1]!.cursor,
    });
    const all = await h.run<Page>(LIST, {});
    assert.equal(all.promotions.edges.length, 6);
  });

  test('filters', async () => {
    const names = async (filter: Record<string, unknown>) =>
      (await h.run<Page>(LIST, { filter })).promotions.edges.map((e) => e.node.name);
    assert.deepEqual(await names({ states: ['SCHEDULED'] }), ['Live one']);
    assert.deepEqual(await names({ channels: ['MOBILE'] }), ['Draft 2', 'Draft 1']);
    assert.deepEqual(await names({ vendorId: 'V100001' }), ['Draft 5', 'Draft 3', 'Draft 1']);
    assert.deepEqual(await names({ sku: 'SKU000004' }), ['Draft 4']);
    assert.deepEqual(await names({ text: 'espresso' }), ['Live one']);
    assert.deepEqual(await names({ liveAt: '2026-03-15T00:00:00Z' }), ['Live one']);
    assert.deepEqual(await names({ liveAt: '2026-03-25T00:00:00Z' }), []);
    assert.deepEqual(await names({ states: ['DRAFT'], channels: ['POS'], vendorId: 'V100001' }), [
      'Draft 5',
      'Draft 3',
    ]);
  });

  test('promotionCounts: the whole set by state and channel; a partner counts its own vendor', async () => {
    const COUNTS = `query ($filter: PromotionFilter) {
      promotionCounts(filter: $filter) { total byState { state count } byChannel { channel intent status count } }
    }`;
    type Counts = {
      promotionCounts: {
        total: number;
        byState: { state: string; count: number }[];
        byChannel: {
          channel: string;
          intent: string | null;
          status: string | null;
          count: number;
        }[];
      };
    };
    const all = (await h.run<Counts>(COUNTS, {})).promotionCounts;
    assert.equal(all.total, 6);
    assert.deepEqual(all.byState, [
      { state: 'DRAFT', count: 5 },
      { state: 'SCHEDULED', count: 1 },
    ]);
    const pos = all.byChannel.filter((c) => c.channel === 'POS');
    assert.deepEqual(
      pos.map((c) => [c.intent, c.status, c.count]),
      [
        ['LIVE', 'ACKNOWLEDGED', 1],
        [null, null, 3],
      ],
    );
    const partner = {
      subject: 'vendor-user',
      tokenClass: 'partner' as const,
      scopes: ['promotion:read'],
      vendorId: 'V100001',
    };
    const own = (await h.run<Counts>(COUNTS, {}, partner)).promotionCounts;
    assert.equal(own.total, 3, 'Drafts 1, 3 and 5');
    const other = await h.exec(COUNTS, { filter: { vendorId: 'V100002' } }, partner);
    assert.equal(firstError(other)?.extensions?.code, 'FORBIDDEN');
  });

  test('bad cursor and page size are BAD_USER_INPUT', async () => {
    assert.deepEqual(firstError(await h.exec(LIST, { after: 'not-a-cursor' })), {
      message: 'after is not a valid cursor',
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'after', message: 'is not a valid cursor' }],
      },
    });
    const auditCursor = Buffer.from('a:1').toString('base64url');
    assert.equal(
      firstError(await h.exec(LIST, { after: auditCursor })).extensions.code,
      'BAD_USER_INPUT',
    );
    for (const first of [0, 101, null]) {
      assert.deepEqual(firstError(await h.exec(LIST, { first })), {
        message: 'first must be between 1 and 100',
        extensions: {
          code: 'BAD_USER_INPUT',
          problems: [{ field: 'first', message: 'must be between 1 and 100' }],
        },
      });
    }
  });

  test('audit is a Relay connection, oldest first', async () => {
    const live = (
      await h.run<Page & { promotions: { edges: { node: { id: string } }[] } }>(
        `{ promotions(first: 1) { edges { node { id } } } }`,
      )
    ).promotions.edges[0]!.node.id;
    const AUDIT = `query ($after: String) { promotion(id: "${live}") { audit(first: 2, after: $after) {
      edges { cursor node { action version } } pageInfo { hasNextPage endCursor } } } }`;
    type Audit = {
      promotion: {
        audit: {
          edges: { node: { action: string; version: number } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const p1 = await h.run<Audit>(AUDIT);
    assert.deepEqual(
      p1.promotion.audit.edges.map((e) => e.node),
      [
        { action: 'createPromotionDraft', version: 1 },
        { action: 'submitPromotion', version: 2 },
      ],
    );
    assert.equal(p1.promotion.audit.pageInfo.hasNextPage, true);
    const p2 = await h.run<Audit>(AUDIT, { after: p1.promotion.audit.pageInfo.endCursor });
    assert.deepEqual(
      p2.promotion.audit.edges.map((e) => e.node),
      [
        { action: 'approvePromotion', version: 3 },
        { action: 'publishToChannels', version: 4 },
      ],
    );
    const p3 = await h.run<Audit>(AUDIT, { after: p2.promotion.audit.pageInfo.endCursor });
    assert.deepEqual(
      p3.promotion.audit.edges.map((e) => e.node),
      [{ action: 'channelDelivery', version: 4 }],
    );
    assert.equal(p3.promotion.audit.pageInfo.hasNextPage, false);
  });
});

describe('promotions by category and region (through the product master)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    const draft = (name: string, skus: string[], eligibility: Record<string, unknown>) =>
      h.run(CREATE, {
        input: draftInput({
          name,
          scope: { skus },
          eligibility: { channels: ['POS'], ...eligibility },
        }),
      });
    await draft('North store', ['SKU000003'], { locationIds: ['S002'] });
    await draft('South store', ['SKU000015'], { locationIds: ['S007'] });
    await draft('Named region', ['SKU000021'], { regionIds: ['SOUTH'] });
    await draft('Everywhere', ['SKU000011', 'SKU000099'], {});
  });
  after(() => h.close());

  const names = async (filter: Record<string, unknown>) =>
    (await h.run<Page>(LIST, { filter })).promotions.edges.map((e) => e.node.name);

  test('a category matches the promotions with one of its SKUs', async () => {
    assert.deepEqual(await names({ categoryId: 'CAT01' }), ['North store']);
    assert.deepEqual(await names({ categoryId: 'CAT02' }), ['Everywhere', 'South store']);
    assert.deepEqual(await names({ categoryId: 'CAT05' }), []);
    assert.deepEqual(await names({ categoryId: 'CAT02', regionId: 'NORTH' }), ['Everywhere']);
  });

  test('a region matches its stores, its name, and promotions valid everywhere', async () => {
    assert.deepEqual(await names({ regionId: 'NORTH' }), ['Everywhere', 'North store']);
    assert.deepEqual(await names({ regionId: 'SOUTH' }), [
      'Everywhere',
      'Named region',
      'South store',
    ]);
    assert.deepEqual(await names({ regionId: 'NOWHERE' }), ['Everywhere']);
  });

  test('the product master down: BACKEND_UNAVAILABLE, not an unfiltered list', async () => {
    h.master.down = true;
    try {
      const res = await h.exec(LIST, { filter: { categoryId: 'CAT01' } });
      assert.equal(res.data, null);
      assert.equal(firstError(res)?.extensions?.code, 'BACKEND_UNAVAILABLE');
    } finally {
      h.master.down = false;
    }
  });
});
