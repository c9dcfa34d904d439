import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, test } from 'node:test';
import type { BackendClient, BackendRequest } from '../../../subgraphs/shared/backend-client.ts';
import { BackendError } from '../../../subgraphs/shared/backend-client.ts';
import { ReadinessArea } from '../../../subgraphs/shared/canonical/enums.ts';
import type { PromotionRecord } from '../../../subgraphs/promotion/model/promotion.model.ts';
import type {
  ReadinessCheckData,
  ReadinessGate,
} from '../../../subgraphs/promotion/readiness/readiness-gate.ts';
import {
  createSubgraphReadinessGate,
  readinessUndecided,
} from '../../../subgraphs/promotion/readiness/subgraph-readiness.adapter.ts';
import { readSubgraphConfig } from '../../../subgraphs/shared/config.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import { CREATE, createHarness, draftInput, type Harness } from './promotion-harness.ts';

const APPROVE = `mutation($id: ID!, $v: Int!, $o: ApprovalOverrideInput) {
  approvePromotion(id: $id, expectedVersion: $v, override: $o) {
    promotion { state version approvalReadiness { passed } }
  }
}`;
const STORED = `query($id: ID!) {
  promotion(id: $id) { state version approvalReadiness { passed } audit(first: 20) { edges { node { action } } } }
}`;
type Stored = {
  promotion: {
    state: string;
    version: number;
    approvalReadiness: { passed: boolean } | null;
    audit: { edges: { node: { action: string } }[] };
  };
};

const overrider = {
  subject: 'ops-1',
  tokenClass: 'internal',
  scopes: ['promotion:approve', 'promotion:approve:override'],
};

const PASSED = [ReadinessArea.PRICING, ReadinessArea.INVENTORY, ReadinessArea.FUNDING].map(
  (area): ReadinessCheckData => ({ area, passed: true, summary: 'ok', findings: [] }),
);

/** A gate whose inventory area cannot decide until `recovered`. */
class OutageGate implements ReadinessGate {
  recovered = false;
  calls = 0;
  async check(): Promise<ReadinessCheckData[]> {
    this.calls++;
    if (!this.recovered) {
      throw readinessUndecided([{ area: ReadinessArea.INVENTORY, subgraph: 'inventory' }]);
    }
    return PASSED;
  }
}

describe('approval while an area cannot decide (back-end unavailable): refused, nothing stored', () => {
  let h: Harness;
  let gate: OutageGate;
  let id: string;

  beforeEach(async () => {
    gate = new OutageGate();
    h = await createHarness({ readinessGate: gate });
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput(),
    });
    id = created.createPromotionDraft.promotion.id;
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
  });
  afterEach(() => h.close());

  test('BACKEND_UNAVAILABLE; version, state, report, audit and events unchanged; a retry after recovery approves', async () => {
    const before = await h.run<Stored>(STORED, { id });
    const cursor = h.app.eventBus.latestCursor();
    const result = await h.exec(APPROVE, { id, v: 2 }, overrider);
    assert.equal(result.data, null);
    assert.deepEqual(
      result.errors!.map((e) => ({ message: e.message, extensions: e.extensions })),
      [
        {
          message:
            'inventory is unavailable: the INVENTORY readiness check could not be decided; nothing was changed, retry when it answers',
          extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'inventory', areas: ['INVENTORY'] },
        },
      ],
    );
    assert.deepEqual(await h.run<Stored>(STORED, { id }), before);
    assert.equal(before.promotion.version, 2);
    assert.equal(before.promotion.approvalReadiness, null);
    assert.equal(h.app.eventBus.latestCursor(), cursor);

    // An override does not skip an undecided area either (fail closed).
    const overridden = await h.exec(APPROVE, { id, v: 2, o: { reason: 'urgent' } }, overrider);
    assert.equal(overridden.errors![0]!.extensions.code, 'BACKEND_UNAVAILABLE');
    assert.deepEqual(await h.run<Stored>(STORED, { id }), before);

    gate.recovered = true;
    const retried = await h.run<{
      approvePromotion: { promotion: { state: string; version: number } };
    }>(APPROVE, { id, v: 2 }, overrider);
    assert.deepEqual(
      { ...retried.approvePromotion.promotion },
      { state: 'APPROVED', version: 3, approvalReadiness: { passed: true } },
    );
    assert.equal(gate.calls, 3);
  });
});

describe('the subgraph readiness gate: "could not decide" differs from "failed"', () => {
  let record: PromotionRecord;
  before(async () => {
    const h = await createHarness();
    try {
      const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
        input: draftInput(),
      });
      record = (await h.app.repository.get(created.createPromotionDraft.promotion.id))!;
    } finally {
      await h.close();
    }
  });

  /** An answer, an error, or `{ never: true }`: the subgraph never answers. */
  type Answer = { status: number; body: unknown } | Error | { never: true };
  function gateAnswering(
    answers: Record<'pricing' | 'inventory' | 'funding', Answer>,
    deadlineMs = 5000,
  ) {
    const logged: string[] = [];
    const client = (name: keyof typeof answers): BackendClient => ({
      async request(_req: BackendRequest) {
        const answer = answers[name];
        if (answer instanceof Error) throw answer;
        if ('never' in answer) return new Promise(() => undefined);
        return { status: answer.status, headers: {}, body: answer.body };
      },
      close: async () => undefined,
    });
    const gate = createSubgraphReadinessGate({
      clients: {
        pricing: client('pricing'),
        inventory: client('inventory'),
        funding: client('funding'),
      },
      principal: () => 'signed',
      log: (message) => logged.push(message),
      deadlineMs,
    });
    return { gate, logged };
  }
  const check = (area: ReadinessArea, passed: boolean): ReadinessCheckData => ({
    area,
    passed,
    summary: passed ? 'ok' : 'short',
    findings: [],
  });
  const answer = (field: string, c: ReadinessCheckData) => ({
    status: 200,
    body: { data: { _entities: [{ [field]: { check: c } }] } },
  });

  test('a check that ran and failed is returned as a failed check (the report is stored)', async () => {
    const { gate } = gateAnswering({
      pricing: answer('priceImpact', check(ReadinessArea.PRICING, true)),
      inventory: answer('stockReadiness', check(ReadinessArea.INVENTORY, false)),
      funding: answer('funding', check(ReadinessArea.FUNDING, true)),
    });
    const checks = await gate.check(record, record.scope.skus);
    assert.deepEqual(
      checks.map((c) => [c.area, c.passed]),
      [
        ['PRICING', true],
        ['INVENTORY', false],
        ['FUNDING', true],
      ],
    );
  });

  test('an area erroring (its ERP unavailable) or unreachable rejects with BACKEND_UNAVAILABLE; its words go to the log only', async () => {
    const { gate, logged } = gateAnswering({
      pricing: new BackendError('pricing', 'connection failed (ECONNREFUSED)'),
      inventory: {
        status: 200,
        body: {
          data: { _entities: [null] },
          errors: [
            {
              message: 'erp is unavailable: HTTP 503 on API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod',
              extensions: { code: 'BACKEND_UNAVAILABLE' },
            },
          ],
        },
      },
      funding: answer('funding', check(ReadinessArea.FUNDING, false)),
    });
    await assert.rejects(
      gate.check(record, record.scope.skus),
      (error: Error & { extensions?: unknown }) => {
        assert.equal(
          error.message,
          'pricing is unavailable: the PRICING, INVENTORY readiness checks could not be decided; nothing was changed, retry when it answers',
        );
        assert.deepEqual(error.extensions, {
          code: 'BACKEND_UNAVAILABLE',
          backend: 'pricing',
          areas: ['PRICING', 'INVENTORY'],
        });
        return true;
      },
    );
    assert.deepEqual(logged, [
      `[promotion] readiness of ${record.id}: PRICING could not be checked: pricing: connection failed (ECONNREFUSED)`,
      `[promotion] readiness of ${record.id}: INVENTORY could not be checked: erp is unavailable: HTTP 503 on API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod`,
    ]);
  });

  test('an area with no answer by the deadline could not decide: BACKEND_UNAVAILABLE then, not when it answers', async () => {
    const { gate, logged } = gateAnswering(
      {
        pricing: answer('priceImpact', check(ReadinessArea.PRICING, true)),
        inventory: { never: true },
        funding: answer('funding', check(ReadinessArea.FUNDING, true)),
      },
      150,
    );
    await assert.rejects(
      gate.check(record, record.scope.skus),
      (error: Error & { extensions?: unknown }) => {
        assert.deepEqual(error.extensions, {
          code: 'BACKEND_UNAVAILABLE',
          backend: 'inventory',
          areas: ['INVENTORY'],
        });
        return true;
      },
    );
    assert.deepEqual(logged, [
      `[promotion] readiness of ${record.id}: INVENTORY could not be checked: no answer within 150 ms`,
    ]);
  });

  test('defaults: the readiness deadline plus the lock timeout stay under the gateway subgraph timeout', () => {
    const subgraph = readSubgraphConfig({});
    const gateway = readGatewayConfig({});
    assert.ok(
      subgraph.readinessDeadlineMs + subgraph.databaseTimeouts.lockMs < gateway.subgraphTimeoutMs,
      `${subgraph.readinessDeadlineMs} + ${subgraph.databaseTimeouts.lockMs} ms against ${gateway.subgraphTimeoutMs} ms`,
    );
  });
});
