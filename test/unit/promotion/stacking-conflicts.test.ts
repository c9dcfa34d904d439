import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  stackingConflicts,
  withPricingFindings,
} from '../../../subgraphs/promotion/readiness/stacking-conflicts.ts';
import { ReadinessArea } from '../../../subgraphs/shared/canonical/enums.ts';
import {
  createApproved,
  createPublished,
  createHarness,
  type Harness,
} from './promotion-harness.ts';

type Finding = {
  code: string;
  sku: string | null;
  severity: string;
  message: string;
  evidence: { name: string; value: string }[];
};
const READINESS = `query ($id: ID!) { promotion(id: $id) { state approvalReadiness { passed
  checks { area passed summary findings { code sku severity message evidence { name value } } } } } }`;

describe('stacking conflicts at approval', () => {
  let h: Harness;
  let live: string;
  before(async () => {
    h = await createHarness();
    live = (
      await createPublished(
        h,
        {
          scope: { skus: ['SKU000001', 'SKU000002'] },
          stacking: { mode: 'STACKABLE', priority: 10 },
        },
        ['POS', 'ECOMMERCE'],
      )
    ).id;
  });
  after(() => h.close());
  const pricingOf = async (id: string) => {
    const data = await h.run<{
      promotion: {
        approvalReadiness: {
          passed: boolean;
          checks: { area: string; passed: boolean; summary: string; findings: Finding[] }[];
        };
      };
    }>(READINESS, { id });
    return data.promotion.approvalReadiness.checks.find((c) => c.area === 'PRICING')!;
  };

  test('an exclusive offer on a category meeting a live one: a warning naming both and the outcome', async () => {
    const { id } = await createApproved(h, {
      scope: { categoryIds: ['CAT01'] },
      stacking: { mode: 'EXCLUSIVE_GLOBAL', priority: 1 },
    });
    const pricing = await pricingOf(id);
    assert.equal(pricing.passed, true, 'a warning does not fail the check');
    assert.match(pricing.summary, /; 1 STACKING_CONFLICT \(warning\)$/);
    const [finding] = pricing.findings;
    assert.equal(finding!.code, 'STACKING_CONFLICT');
    assert.equal(finding!.severity, 'WARNING');
    assert.equal(finding!.sku, null, 'two SKUs shared');
    const evidence = Object.fromEntries(finding!.evidence.map((e) => [e.name, e.value]));
    assert.deepEqual(
      [evidence.otherPromotionId, evidence.sharedSkus, evidence.exampleSkus, evidence.channels],
      [live, '2', 'SKU000001, SKU000002', 'ECOMMERCE, POS'],
    );
    assert.equal(evidence.outcome, `${id} supersedes ${live}`);
  });

  test('stackable with stackable: both discounts apply together', async () => {
    const { id } = await createApproved(h, {
      scope: { skus: ['SKU000002'] },
      eligibility: { channels: ['POS'] },
      stacking: { mode: 'STACKABLE', priority: 20 },
    });
    const [finding] = (await pricingOf(id)).findings;
    assert.equal(finding!.sku, 'SKU000002');
    assert.match(finding!.message, /in POS: both discounts apply together$/);
  });

  test('no channel, window or SKU in common: no finding', async () => {
    for (const overrides of [
      { scope: { skus: ['SKU000001'] }, eligibility: { channels: ['MOBILE'] } },
      {
        scope: { skus: ['SKU000001'] },
        window: {
          startsAt: '2026-04-01T00:00:00Z',
          endsAt: '2026-04-10T00:00:00Z',
          timeZone: 'UTC',
        },
      },
      { scope: { skus: ['SKU000003'] } },
    ]) {
      const { id } = await createApproved(h, overrides);
      assert.deepEqual((await pricingOf(id)).findings, []);
    }
  });

  test('a policy that blocks: the PRICING check fails', async () => {
    const candidate = (await h.app.repository.get(live))!;
    const other = { ...candidate, id: 'prm_other', seq: candidate.seq + 1000 };
    const findings = await stackingConflicts(other, ['SKU000001'], {
      published: h.app.published,
      productFacts: h.app.productFacts,
      action: 'block',
    });
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity]),
      [['STACKING_CONFLICT', 'BLOCKING']],
    );
    const checks = withPricingFindings(
      [{ area: ReadinessArea.PRICING, passed: true, summary: '1 SKU checked', findings: [] }],
      findings,
    );
    assert.equal(checks[0]!.passed, false);
  });
});
