import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

const CREATE = `mutation Create($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id } }
}`;
const APPROVE = `mutation($id: ID!) {
  approvePromotion(id: $id, expectedVersion: 2) {
    promotion { state approvalReadiness { passed overridden checks { area passed summary findings { code sku locationId } } } }
  }
}`;

type Check = {
  area: string;
  passed: boolean;
  summary: string;
  findings: { code: string; sku: string | null; locationId: string | null }[];
};

describe('approval runs the readiness gate through the pricing, inventory and funding subgraphs', () => {
  let stack: TestStack;
  let sku: string;

  async function submitted(percentOff: string, channels = ['ECOMMERCE']): Promise<string> {
    const now = Date.now();
    const created = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      {
        input: {
          name: `Gate ${percentOff}%`,
          offer: { kind: 'PERCENT_OFF', percentOff },
          scope: { skus: [sku] },
          eligibility: { channels, locationIds: ['S001'] },
          window: {
            startsAt: new Date(now + 86_400_000).toISOString(),
            endsAt: new Date(now + 8 * 86_400_000).toISOString(),
            timeZone: 'Europe/Berlin',
          },
          stacking: { mode: 'STACKABLE', priority: 10 },
          expectedUnits: [{ sku, quantity: '1' }],
        },
      },
    );
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    const id = created.body.data!.createPromotionDraft.promotion.id;
    const res = await stack.query(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
    );
    assert.equal(res.body.errors, undefined);
    return id;
  }

  before(async () => {
    stack = await startTestStack({ skus: 40, locations: 3, vendors: 2 });
    // A SKU with stock at S001, so that only the price decides.
    const skus = Array.from({ length: 40 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`);
    const res = await stack.query<{
      products: { sku: string; availability: { availableToPromise: string }[] }[];
    }>(
      `query($skus: [String!]!) { products(skus: $skus) { sku availability(locationIds: ["S001"]) { availableToPromise } } }`,
      { skus },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    sku = res.body.data!.products.find(
      (p) => Number(p.availability[0]?.availableToPromise ?? 0) >= 5,
    )!.sku;
  });
  after(async () => stack?.close());

  test('a sound promotion passes all three checks and is APPROVED', async () => {
    const id = await submitted('1');
    const res = await stack.query<{
      approvePromotion: {
        promotion: { state: string; approvalReadiness: { passed: boolean; checks: Check[] } };
      };
    }>(APPROVE, { id });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const { promotion } = res.body.data!.approvePromotion;
    assert.equal(promotion.state, 'APPROVED');
    assert.deepEqual(
      promotion.approvalReadiness.checks.map((c) => [c.area, c.passed, c.findings.length]),
      [
        ['PRICING', true, 0],
        ['INVENTORY', true, 0],
        ['FUNDING', true, 0],
      ],
    );
  });

  test('a 95% discount is blocked by the pricing subgraph below the margin floor', async () => {
    const id = await submitted('95');
    const res = await stack.query(APPROVE, { id });
    assert.equal(res.status, 200);
    const error = res.body.errors![0]!;
    assert.equal(error.extensions?.code, 'BAD_USER_INPUT');
    assert.match(error.message, /^approval blocked by readiness checks: PRICING: /);
    assert.deepEqual(
      (error.extensions?.problems as { field: string }[]).map((p) => p.field),
      ['readiness.PRICING'],
    );
    const stored = await stack.query<{
      promotion: { state: string; version: number; approvalReadiness: { checks: Check[] } };
    }>(
      `{ promotion(id: "${id}") { state version approvalReadiness { checks { area passed summary findings { code sku locationId } } } } }`,
    );
    const { promotion } = stored.body.data!;
    assert.equal(promotion.state, 'PENDING_APPROVAL');
    assert.equal(promotion.version, 3);
    const pricing = promotion.approvalReadiness.checks.find((c) => c.area === 'PRICING')!;
    assert.equal(pricing.passed, false);
    assert.deepEqual(pricing.findings[0], {
      code: 'BELOW_MARGIN_FLOOR',
      sku,
      locationId: 'S001',
    });
  });

  test('a pricing anomaly the policy only warns about is kept in the report; approval goes on', async () => {
    // The emulated ERP prices MARKETPLACE (distribution channel 30) 5% above ECOMMERCE.
    const id = await submitted('1', ['ECOMMERCE', 'MARKETPLACE']);
    const res = await stack.query<{
      approvePromotion: {
        promotion: {
          state: string;
          approvalReadiness: {
            passed: boolean;
            checks: { area: string; passed: boolean; findings: Record<string, unknown>[] }[];
          };
        };
      };
    }>(
      `mutation($id: ID!) { approvePromotion(id: $id, expectedVersion: 2) { promotion { state approvalReadiness { passed checks { area passed findings { code sku severity evidence { name value } } } } } } }`,
      { id },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const { promotion } = res.body.data!.approvePromotion;
    assert.equal(promotion.state, 'APPROVED');
    const pricing = promotion.approvalReadiness.checks.find((c) => c.area === 'PRICING')!;
    assert.equal(pricing.passed, true);
    assert.deepEqual(
      pricing.findings.map((f) => [f.code, f.sku, f.severity]),
      [['CHANNEL_PRICE_MISMATCH', sku, 'WARNING']],
    );
    const evidence = pricing.findings[0]!.evidence as { name: string; value: string }[];
    assert.deepEqual(
      evidence.map((e) => e.name),
      [
        'promotionalPrice.ECOMMERCE',
        'promotionalPrice.MARKETPLACE',
        'spreadPercent',
        'tolerancePercent',
      ],
    );
  });

  test('an area whose subgraph is down could not decide: BACKEND_UNAVAILABLE, nothing stored', async () => {
    const id = await submitted('1');
    await stack.subgraphs.funding.close();
    const res = await stack.query(APPROVE, { id });
    assert.deepEqual(res.body, {
      data: null,
      errors: [
        {
          message:
            'funding is unavailable: the FUNDING readiness check could not be decided; nothing was changed, retry when it answers',
          path: ['approvePromotion'],
          extensions: {
            code: 'BACKEND_UNAVAILABLE',
            backend: 'funding',
            areas: ['FUNDING'],
            serviceName: 'promotion',
          },
        },
      ],
    });
    const stored = await stack.query<{
      promotion: { state: string; version: number; approvalReadiness: unknown };
    }>(`{ promotion(id: "${id}") { state version approvalReadiness { passed } } }`);
    assert.deepEqual(stored.body.data!.promotion, {
      state: 'PENDING_APPROVAL',
      version: 2,
      approvalReadiness: null,
    });
  });
});
