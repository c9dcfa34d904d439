import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { ALL_TEST_SCOPES, principalHeaders } from '../../helpers/principal.ts';
import { createApproved, createHarness, type Harness } from './promotion-harness.ts';

/**
 * The promotion subgraph's GET /metrics (subgraphs/promotion/promotion-metrics.ts): deliveries
 * by channel and status, open exceptions by kind, activation holds and the outbox's unpublished
 * rows, read from the stored state at scrape time, next to the shared request metrics.
 */
describe('promotion metrics', () => {
  let h: Harness;
  let running: RunningSubgraph | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await h?.close();
  });

  async function scrape(): Promise<string[]> {
    const res = await fetch(running!.url.replace('/graphql', '/metrics'));
    assert.equal(res.status, 200);
    return (await res.text()).split('\n');
  }
  const series = (lines: string[], prefix: string) =>
    lines.filter((line) => line.startsWith(`${prefix}{`) || line.startsWith(`${prefix} `)).sort();

  test('a dead letter: deliveries by status, the open exceptions and the held activation', async () => {
    h = await createHarness({
      delivery: { policy: testDeliveryPolicy({}, {}, { holdAfterMs: 0 }) },
      exceptionIntervalMs: 0,
    });
    running = await h.subgraph.listen(0);
    const { id } = await createApproved(h);
    h.clock.set('2026-03-12T00:00:00Z');
    h.publisher.script(
      SalesChannel.POS,
      ...Array.from({ length: 5 }, () => ({ kind: 'retryable' as const, error: 'HTTP 503' })),
    );
    const res = await fetch(running.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...principalHeaders({ subject: 'ops-1', tokenClass: 'internal', scopes: ALL_TEST_SCOPES }),
      },
      body: JSON.stringify({
        query: `mutation Publish { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, POS]) { eventCursor } }`,
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { errors?: unknown }).errors, undefined);
    await h.settle();

    // Before the sweep: the dead letter is stored, no exception is open yet.
    let lines = await scrape();
    assert.deepEqual(series(lines, 'promotion_deliveries'), [
      'promotion_deliveries{channel="ECOMMERCE",status="ACKNOWLEDGED",subgraph="promotion"} 1',
      'promotion_deliveries{channel="POS",status="DEAD_LETTERED",subgraph="promotion"} 1',
    ]);
    assert.deepEqual(series(lines, 'promotion_open_exceptions'), []);

    await h.app.exceptions.runOnce();
    lines = await scrape();
    assert.deepEqual(series(lines, 'promotion_open_exceptions'), [
      'promotion_open_exceptions{kind="ACTIVATION_HELD",subgraph="promotion"} 1',
      'promotion_open_exceptions{kind="DEAD_LETTER",subgraph="promotion"} 1',
      'promotion_open_exceptions{kind="FAILED_READINESS",subgraph="promotion"} 0',
      'promotion_open_exceptions{kind="FUNDING_CAP_EXCEEDED",subgraph="promotion"} 0',
      'promotion_open_exceptions{kind="FUNDING_CAP_NEAR",subgraph="promotion"} 0',
      'promotion_open_exceptions{kind="OVERDUE_DELIVERY",subgraph="promotion"} 0',
      'promotion_open_exceptions{kind="RECONCILIATION_MISMATCH",subgraph="promotion"} 0',
      'promotion_open_exceptions{kind="STOCK_HELD",subgraph="promotion"} 0',
    ]);
    assert.deepEqual(series(lines, 'promotion_activation_holds'), [
      'promotion_activation_holds{subgraph="promotion"} 1',
    ]);
    assert.equal(series(lines, 'promotion_outbox_unpublished').length, 1);
    assert.ok(
      lines.includes(
        'subgraph_graphql_duration_seconds_count{subgraph="promotion",operation="Publish"} 1',
      ),
    );
  });
});
