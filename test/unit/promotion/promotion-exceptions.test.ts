import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadinessArea, SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { assertPromotionEventV1 } from '../../../subgraphs/promotion/events/promotion-event-schema.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import {
  createApproved,
  createHarness,
  CREATE,
  draftInput,
  type Harness,
} from './promotion-harness.ts';

/**
 * Exceptions as data (subgraphs/promotion/exceptions/): raised from the stored state by a
 * sweep, resolved when the condition is gone (by whom and how, from the audit trail), each an
 * EXCEPTION_RAISED / EXCEPTION_RESOLVED event and a log line; queryable, partners confined.
 */

const EXCEPTIONS = `query ($filter: PromotionExceptionFilter) {
  promotionExceptions(filter: $filter) {
    edges { node { id kind severity promotionId channel detail resolvedBy resolution resolvedAt
      promotion { id } } }
  }
}`;

type Row = {
  id: string;
  kind: string;
  severity: string;
  promotionId: string;
  channel: string | null;
  detail: string;
  resolvedBy: string | null;
  resolution: string | null;
  resolvedAt: string | null;
  promotion: { id: string } | null;
};

const down = (n: number, error = 'HTTP 503 from POS') =>
  Array.from({ length: n }, () => ({ kind: 'retryable' as const, error }));
const ops = { subject: 'ops-1', tokenClass: 'internal', scopes: [] };
const partner = (vendorId: string) => ({
  subject: `partner-${vendorId}`,
  tokenClass: 'partner',
  scopes: ['promotion:read'],
  partnerId: `partner-${vendorId}`,
  vendorId,
});

describe('promotion exceptions', () => {
  let h: Harness;
  const lines: Record<string, unknown>[] = [];
  afterEach(async () => {
    lines.length = 0;
    await h?.close();
  });

  async function harness(policy = testDeliveryPolicy({}, {}, { holdAfterMs: 0 })) {
    h = await createHarness({ delivery: { policy }, exceptionIntervalMs: 0 });
    // The structured log lines of the sweep.
    (h.app.exceptions as unknown as { options: { log: unknown } }).options.log = (
      line: Record<string, unknown>,
    ) => lines.push(line);
  }
  const list = async (filter: Record<string, unknown> = {}, actor: unknown = ops) =>
    (
      await h.run<{ promotionExceptions: { edges: { node: Row }[] } }>(
        EXCEPTIONS,
        { filter },
        actor as never,
      )
    ).promotionExceptions.edges.map((e) => e.node);
  async function exceptionEvents(): Promise<PromotionBusEvent[]> {
    const { rows } = await h.subgraph.storage.db.query<{ event: PromotionBusEvent }>(
      `SELECT event FROM outbox WHERE event->>'kind' LIKE 'EXCEPTION%' ORDER BY cursor`,
    );
    return rows.map((r) => r.event);
  }
  const publish = (id: string) =>
    h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, POS]) { eventCursor } }`,
    );

  test('a dead letter and the held activation are raised, then resolved by the operator retry', async () => {
    await harness();
    const { id } = await createApproved(h);
    h.clock.set('2026-03-12T00:00:00Z');
    h.publisher.script(SalesChannel.POS, ...down(5));
    await publish(id);
    await h.settle();
    const raised = await h.app.exceptions.runOnce();
    assert.deepEqual(
      raised.map((c) => `${c.change} ${c.exception.kind} ${c.exception.channel ?? '-'}`).sort(),
      ['RAISED ACTIVATION_HELD -', 'RAISED DEAD_LETTER POS'],
    );
    // A second sweep changes nothing: one open exception per kind, promotion and channel.
    assert.deepEqual(await h.app.exceptions.runOnce(), []);
    const open = await list();
    assert.deepEqual(
      open.map((e) => [e.kind, e.severity, e.channel, e.detail, e.promotion?.id]).sort(),
      [
        ['ACTIVATION_HELD', 'CRITICAL', null, 'POS dead-lettered: HTTP 503 from POS', id],
        ['DEAD_LETTER', 'CRITICAL', 'POS', 'HTTP 503 from POS', id],
      ],
    );
    assert.deepEqual([...h.app.exceptions.openCounts()].filter(([, n]) => n > 0).sort(), [
      ['ACTIVATION_HELD', 1],
      ['DEAD_LETTER', 1],
    ]);

    await h.run(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: POS) { eventCursor } }`,
      {},
      ops,
    );
    await h.settle();
    const resolved = await h.app.exceptions.runOnce();
    assert.deepEqual(
      resolved.map((c) => c.change),
      ['RESOLVED', 'RESOLVED'],
    );
    assert.deepEqual(await list(), []);
    const closed = await list({ open: false });
    assert.equal(closed.length, 2);
    for (const e of closed) {
      assert.equal(e.resolvedBy, 'ops-1', JSON.stringify(e));
      assert.match(e.resolution!, /^retryChannelDelivery/);
      assert.ok(e.resolvedAt);
    }
    // Each change is an event of the v1 contract, and a structured log line.
    const events = await exceptionEvents();
    assert.deepEqual(
      events.map((e) => e.kind),
      ['EXCEPTION_RAISED', 'EXCEPTION_RAISED', 'EXCEPTION_RESOLVED', 'EXCEPTION_RESOLVED'],
    );
    for (const event of events) assertPromotionEventV1(event);
    assert.deepEqual(new Set(events.map((e) => e.exceptionId)), new Set(closed.map((e) => e.id)));
    assert.deepEqual(lines.map((l) => `${l.msg as string} ${l.kind as string}`).sort(), [
      'promotion exception raised ACTIVATION_HELD',
      'promotion exception raised DEAD_LETTER',
      'promotion exception resolved ACTIVATION_HELD',
      'promotion exception resolved DEAD_LETTER',
    ]);
  });

  test('an overdue delivery is raised once past its SLO and resolved when acknowledged', async () => {
    // POS waits an hour after its first failure: the delivery stays FAILED, unacknowledged.
    await harness(
      testDeliveryPolicy(
        { deliverySloMs: 60_000 },
        { [SalesChannel.POS]: { initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 } },
      ),
    );
    const { id } = await createApproved(h);
    h.publisher.script(SalesChannel.POS, ...down(1));
    await publish(id);
    // (Not settle: the dispatcher is not idle while POS waits for its retry.)
    for (let i = 0; ; i++) {
      const record = await h.app.repository.get(id);
      const pos = record!.channels.find((c) => c.channel === SalesChannel.POS)!;
      if (pos.status === 'FAILED') break;
      if (i > 200) assert.fail(`POS is ${pos.status}, expected FAILED`);
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(await h.app.exceptions.runOnce(), []);
    h.clock.set('2026-03-01T00:01:30Z');
    const raised = await h.app.exceptions.runOnce();
    assert.deepEqual(
      raised.map((c) => [c.exception.kind, c.exception.channel, c.exception.severity]),
      [['OVERDUE_DELIVERY', 'POS', 'WARNING']],
    );
    await h.run(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: POS) { eventCursor } }`,
      {},
      ops,
    );
    for (let i = 0; ; i++) {
      const record = await h.app.repository.get(id);
      const pos = record!.channels.find((c) => c.channel === SalesChannel.POS)!;
      if (pos.status === 'ACKNOWLEDGED') break;
      if (i > 200) assert.fail(`POS is ${pos.status}, expected ACKNOWLEDGED`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const resolved = await h.app.exceptions.runOnce();
    assert.deepEqual(
      resolved.map((c) => [c.change, c.exception.kind, c.exception.resolvedBy]),
      [['RESOLVED', 'OVERDUE_DELIVERY', 'ops-1']],
    );
  });

  test('a failed readiness check is raised; the override approval resolves it', async () => {
    await harness();
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput(),
    });
    const id = created.createPromotionDraft.promotion.id;
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
    h.gate.failures.set(ReadinessArea.PRICING, '2 SKUs below the margin floor');
    const blocked = await h.exec(
      `mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`,
    );
    assert.equal(blocked.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const raised = await h.app.exceptions.runOnce();
    assert.deepEqual(
      raised.map((c) => [c.exception.kind, c.exception.detail]),
      [['FAILED_READINESS', 'PRICING: 2 SKUs below the margin floor']],
    );
    await h.run(
      // The blocked approval stored its report as version 3.
      `mutation { approvePromotion(id: "${id}", expectedVersion: 3, override: { reason: "price fixed Monday" }) { eventCursor } }`,
      {},
      { subject: 'bob', tokenClass: 'internal', scopes: ['promotion:approve:override'] },
    );
    const resolved = await h.app.exceptions.runOnce();
    assert.deepEqual(
      resolved.map((c) => [c.exception.kind, c.exception.resolvedBy, c.exception.resolution]),
      [['FAILED_READINESS', 'bob', 'approvePromotion: override: price fixed Monday']],
    );
  });

  test("a partner sees its own vendor's exceptions only; naming another vendor is FORBIDDEN", async () => {
    await harness();
    const { id } = await createApproved(h, {
      vendorId: 'V100001',
      fundingAgreementId: 'CC0001',
      vendorSharePercent: '50',
    });
    h.publisher.script(SalesChannel.POS, ...down(5));
    await publish(id);
    await h.settle();
    await h.app.exceptions.runOnce();
    assert.deepEqual(
      (await list({}, partner('V100001'))).map((e) => [e.kind, e.promotionId]).sort(),
      [
        ['ACTIVATION_HELD', id],
        ['DEAD_LETTER', id],
      ],
    );
    assert.deepEqual(await list({}, partner('V100002')), []);
    const refused = await h.exec(
      EXCEPTIONS,
      { filter: { vendorId: 'V100001' } },
      partner('V100002'),
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('funding: near the cap (warning), past it (critical), a reconciliation that does not tie out', async () => {
    await harness();
    const { id } = await createApproved(h, {
      vendorId: 'V100001',
      fundingAgreementId: 'CC0001',
      vendorSharePercent: '50',
    });
    const snapshot = (agreementAccrued: string, tiesOut = true) =>
      h.app.reconciliation.saveSnapshot({
        promotionId: id,
        agreementId: 'CC0001',
        currency: 'EUR',
        cap: '1000.00',
        agreementAccrued,
        erpAccrued: '10.00',
        erpClaimed: '0.00',
        tiesOut,
        checkedAt: new Date().toISOString(),
      });
    const open = async () => (await list()).map((e) => [e.kind, e.severity, e.detail]).sort();
    await snapshot('899.99');
    await h.app.exceptions.runOnce();
    assert.deepEqual(await open(), []);
    await snapshot('900.00');
    await h.app.exceptions.runOnce();
    assert.deepEqual(await open(), [
      ['FUNDING_CAP_NEAR', 'WARNING', 'agreement CC0001: 900.00 of 1000.00 EUR accrued (90.0 %)'],
    ]);
    await snapshot('1000.01', false);
    await h.app.exceptions.runOnce();
    const now = await open();
    assert.deepEqual(
      now.map(([kind, severity]) => [kind, severity]),
      [
        ['FUNDING_CAP_EXCEEDED', 'CRITICAL'],
        ['RECONCILIATION_MISMATCH', 'WARNING'],
      ],
    );
    await snapshot('10.00');
    await h.app.exceptions.runOnce();
    assert.deepEqual(await open(), []);
  });
});
