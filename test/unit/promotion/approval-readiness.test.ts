import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ReadinessArea } from '../../../subgraphs/shared/canonical/enums.ts';
import { CREATE, createHarness, draftInput, type Harness } from './promotion-harness.ts';

const APPROVE = `mutation($id: ID!, $v: Int!, $o: ApprovalOverrideInput) {
  approvePromotion(id: $id, expectedVersion: $v, override: $o) {
    promotion {
      state version
      approvalReadiness { passed overridden overrideReason checks { area passed summary findings { code message } } }
    }
  }
}`;
const AUDIT = `query($id: ID!) { promotion(id: $id) { state version audit(first: 20) { edges { node { action reason fromState toState } } } } }`;

type Approved = {
  approvePromotion: {
    promotion: {
      state: string;
      version: number;
      approvalReadiness: {
        passed: boolean;
        overridden: boolean;
        overrideReason: string | null;
        checks: { area: string; passed: boolean; summary: string }[];
      };
    };
  };
};
type Audited = {
  promotion: {
    state: string;
    version: number;
    audit: { edges: { node: { action: string; reason: string | null } }[] };
  };
};

const approver = { subject: 'ops-1', tokenClass: 'internal', scopes: ['promotion:approve'] };
const overrider = { ...approver, scopes: ['promotion:approve', 'promotion:approve:override'] };

describe('approval readiness gate', () => {
  let h: Harness;
  let id: string;

  beforeEach(async () => {
    h = await createHarness();
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput(),
    });
    id = created.createPromotionDraft.promotion.id;
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
  });
  afterEach(() => h.close());

  test('all checks pass: APPROVED with the report stored', async () => {
    const data = await h.run<Approved>(APPROVE, { id, v: 2 }, approver);
    const { promotion } = data.approvePromotion;
    assert.equal(promotion.state, 'APPROVED');
    assert.equal(promotion.version, 3);
    assert.deepEqual(
      promotion.approvalReadiness.checks.map((c) => [c.area, c.passed]),
      [
        ['PRICING', true],
        ['INVENTORY', true],
        ['FUNDING', true],
      ],
    );
    assert.equal(promotion.approvalReadiness.passed, true);
    assert.equal(promotion.approvalReadiness.overridden, false);
    assert.equal(h.gate.calls, 1);
  });

  test('a failed check blocks approval, stores the report and audits the block', async () => {
    h.gate.failures.set(ReadinessArea.PRICING, '2 SKUs below the margin floor');
    const result = await h.exec(APPROVE, { id, v: 2 }, approver);
    assert.equal(result.data, null);
    const error = result.errors![0]!;
    assert.equal(
      error.message,
      'approval blocked by readiness checks: PRICING: 2 SKUs below the margin floor',
    );
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.equal(error.extensions.currentVersion, 3);
    assert.deepEqual(error.extensions.problems, [
      { field: 'readiness.PRICING', message: '2 SKUs below the margin floor' },
    ]);
    const after = await h.run<Audited>(AUDIT, { id });
    assert.equal(after.promotion.state, 'PENDING_APPROVAL');
    assert.equal(after.promotion.version, 3);
    assert.deepEqual(after.promotion.audit.edges.at(-1)!.node, {
      action: 'approvalBlocked',
      reason: 'readiness failed: PRICING: 2 SKUs below the margin floor',
      fromState: 'PENDING_APPROVAL',
      toState: 'PENDING_APPROVAL',
    });
  });

  test('an override needs the override scope: FORBIDDEN without it, nothing written', async () => {
    h.gate.failures.set(ReadinessArea.FUNDING, 'cap exceeded');
    const result = await h.exec(APPROVE, { id, v: 2, o: { reason: 'CEO said so' } }, approver);
    assert.equal(result.errors![0]!.extensions.code, 'FORBIDDEN');
    assert.equal(
      result.errors![0]!.message,
      'overriding the readiness gate needs the scope promotion:approve:override',
    );
    assert.equal(h.gate.calls, 0);
    const after = await h.run<Audited>(AUDIT, { id });
    assert.equal(after.promotion.version, 2);
  });

  test('an allowed override approves despite a failed check and is audited with its reason', async () => {
    h.gate.failures.set(ReadinessArea.INVENTORY, 'S001 short by 40 units');
    const data = await h.run<Approved>(
      APPROVE,
      { id, v: 2, o: { reason: 'replenishment arrives Monday' } },
      overrider,
    );
    const report = data.approvePromotion.promotion.approvalReadiness;
    assert.equal(data.approvePromotion.promotion.state, 'APPROVED');
    assert.deepEqual(
      [report.passed, report.overridden, report.overrideReason],
      [false, true, 'replenishment arrives Monday'],
    );
    const after = await h.run<Audited>(AUDIT, { id });
    assert.deepEqual(after.promotion.audit.edges.at(-1)!.node, {
      action: 'approvePromotion',
      reason: 'override: replenishment arrives Monday',
      fromState: 'PENDING_APPROVAL',
      toState: 'APPROVED',
    });
  });

  test('an override with an empty reason is BAD_USER_INPUT', async () => {
    const result = await h.exec(APPROVE, { id, v: 2, o: { reason: '  ' } }, overrider);
    assert.equal(result.errors![0]!.extensions.code, 'BAD_USER_INPUT');
    assert.equal(h.gate.calls, 0);
  });

  test('a stale version is CONFLICT before any check runs', async () => {
    const result = await h.exec(APPROVE, { id, v: 1 }, approver);
    assert.equal(result.errors![0]!.extensions.code, 'CONFLICT');
    assert.equal(h.gate.calls, 0);
  });

  test('approving in the wrong state is INVALID_STATE_TRANSITION before any check runs', async () => {
    await h.run(APPROVE, { id, v: 2 }, approver);
    const result = await h.exec(APPROVE, { id, v: 3 }, approver);
    assert.equal(result.errors![0]!.extensions.code, 'INVALID_STATE_TRANSITION');
    assert.equal(h.gate.calls, 1);
  });
});
