import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { verifyWebhook } from '../../../contracts/protocol/webhook-signature.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../../subgraphs/promotion/assemble.ts';
import { draftInput, FakeClock, FakeReadinessGate, PROMOTION_FIELDS } from './promotion-harness.ts';
import {
  ALL_TEST_SCOPES,
  principalConnectionParams,
  principalHeaders,
} from '../../helpers/principal.ts';
import { acquirePglite, releasePglite } from '../../helpers/pglite-pool.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { runningFrom, testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

type Body<T> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };

describe('promotion subgraph server against the emulated ERP and channels', () => {
  let backends: RunningBackends;
  let erp: BackendClient;
  let server: AssembledPromotionSubgraph;
  let db: SqlDatabase;
  let running: RunningSubgraph;
  const clock = new FakeClock('2026-03-01T00:00:00Z');

  async function post<T>(
    query: string,
    variables: Record<string, unknown> = {},
    actor?: string,
  ): Promise<Body<T>> {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...principalHeaders(
          actor ? { subject: actor, tokenClass: 'internal', scopes: ALL_TEST_SCOPES } : undefined,
        ),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Body<T>;
  }

  before(async () => {
    backends = await createBackendsServer({
      seed: { skus: 100, locations: 10, vendors: 3 },
    }).listen(0);
    erp = createBackendClient({ name: 'erp', baseUrl: backends.url, timeoutMs: 1000 });
    db = await acquirePglite();
    server = await assemblePromotionSubgraph(
      testSubgraphConfig({ channelsUrl: `${backends.url}/channels` }),
      {
        erp,
        readinessGate: new FakeReadinessGate(),
        fundingAgreements: null,
        database: db,
        clock: clock.now,
        schedulerIntervalMs: 0,
        // Retries come due in real time while the test clock stands still (runningFrom).
        delivery: {
          clock: runningFrom(clock.now),
          policy: testDeliveryPolicy({ maxAttempts: 2, requestTimeoutMs: 3000 }),
        },
      },
    );
    running = await server.listen(0);
  });
  after(async () => {
    await running.close();
    await server.dispose();
    await releasePglite(db);
    await erp.close();
    await backends.close();
  });

  test('HTTP lifecycle: deliveries are signed, keyed and acknowledged by the channel emulator', async () => {
    const events: string[] = [];
    const ws = createClient({
      url: running.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      connectionParams: principalConnectionParams(),
    });
    const done = new Promise<void>((resolve, reject) => {
      ws.subscribe<{
        promotionStateChanged: {
          kind: string;
          channel: string | null;
          channelStatus: string | null;
          toState: string | null;
        };
      }>(
        {
          query:
            'subscription { promotionStateChanged(filter: {kinds: [STATE_CHANGED, CHANNEL_STATUS_CHANGED]}) { kind channel channelStatus toState } }',
        },
        {
          next: ({ data }) => {
            const e = data!.promotionStateChanged;
            events.push(
              e.kind === 'STATE_CHANGED' ? e.toState! : `${e.channel}:${e.channelStatus}`,
            );
            if (events.length === 10) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise<void>((resolve) => ws.on('connected', () => resolve()));

    backends.state.channels.setMode('mobile', 'accepted-not-live');
    const created = await post<{ createPromotionDraft: { promotion: { id: string } } }>(
      `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
      {
        input: draftInput({ eligibility: { channels: ['POS', 'MOBILE'], locationIds: ['S001'] } }),
      },
      'alice',
    );
    assert.equal(created.errors, undefined);
    const id = created.data!.createPromotionDraft.promotion.id;
    await post(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
    await post(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
    const published = await post<{ publishToChannels: { promotion: { state: string } } }>(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS, MOBILE]) { promotion { state } } }`,
    );
    assert.deepEqual(published.data, { publishToChannels: { promotion: { state: 'SCHEDULED' } } });
    await server.app.dispatcher.whenIdle();
    await done;
    await ws.dispose();

    assert.deepEqual(events.slice(0, 6), [
      'DRAFT',
      'PENDING_APPROVAL',
      'APPROVED',
      'SCHEDULED',
      'POS:PENDING',
      'MOBILE:PENDING',
    ]);
    // The two channels are delivered concurrently: per channel SENT comes before ACKNOWLEDGED.
    const rest = events.slice(6);
    assert.deepEqual([...rest].sort(), [
      'MOBILE:ACKNOWLEDGED',
      'MOBILE:SENT',
      'POS:ACKNOWLEDGED',
      'POS:SENT',
    ]);
    assert.ok(rest.indexOf('POS:SENT') < rest.indexOf('POS:ACKNOWLEDGED'));
    assert.ok(rest.indexOf('MOBILE:SENT') < rest.indexOf('MOBILE:ACKNOWLEDGED'));

    const [pos] = backends.state.channels.received('pos');
    assert.equal(pos!.signatureValid, true);
    assert.equal(pos!.headers.idempotencyKey, `${id}:v4:LIVE:POS`);
    assert.equal(pos!.verdict.status, 200);
    assert.equal((pos!.body as { promotionId: string }).promotionId, id);
    assert.equal(
      verifyWebhook('dev-channel-signing-secret', JSON.stringify(pos!.body), pos!.headers.signature)
        .ok,
      true,
    );
    const [mobile] = backends.state.channels.received('mobile');
    assert.equal(mobile!.verdict.status, 202);

    const state = await post<{ promotion: { channels: Record<string, unknown>[] } }>(
      `{ promotion(id: "${id}") { ${PROMOTION_FIELDS} } }`,
    );
    assert.deepEqual(state.data!.promotion.channels, [
      {
        channel: 'MOBILE',
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: 4,
        attempts: 1,
        lastError: null,
        channelRef: 'MOBILE-000001',
      },
      {
        channel: 'POS',
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: 4,
        attempts: 1,
        lastError: null,
        channelRef: 'POS-000001',
      },
    ]);
  });

  test('channel answers: 409 duplicate is acknowledged, 422 dead-letters, 500 retries until dead-lettered', async () => {
    clock.set('2026-03-12T00:00:00Z');
    const created = await post<{ createPromotionDraft: { promotion: { id: string } } }>(
      `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
      { input: draftInput({ eligibility: { channels: ['ECOMMERCE', 'MARKETPLACE', 'LOYALTY'] } }) },
    );
    const id = created.data!.createPromotionDraft.promotion.id;
    await post(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
    await post(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
    backends.state.channels.setMode('ecommerce', 'duplicate');
    backends.state.channels.setMode('marketplace', 'reject');
    backends.state.channels.setMode('loyalty', 'error');
    await post(
      `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, MARKETPLACE, LOYALTY]) { eventCursor } }`,
    );
    await server.app.dispatcher.whenIdle();
    const state = await post<{ promotion: { state: string; channels: Record<string, unknown>[] } }>(
      `{ promotion(id: "${id}") { state channels { channel status attempts lastError } } }`,
    );
    assert.deepEqual(state.data!.promotion, {
      state: 'ACTIVE',
      channels: [
        { channel: 'ECOMMERCE', status: 'ACKNOWLEDGED', attempts: 1, lastError: null },
        {
          channel: 'MARKETPLACE',
          status: 'DEAD_LETTERED',
          attempts: 1,
          lastError:
            'HTTP 422: {"ack":"REJECTED","error":"UNPROCESSABLE","message":"marketplace rejected the publication (emulated, permanent)"}',
        },
        {
          channel: 'LOYALTY',
          status: 'DEAD_LETTERED',
          attempts: 2,
          lastError:
            'HTTP 500: {"error":"INTERNAL","message":"loyalty back-end failure (emulated)"}',
        },
      ],
    });
    backends.state.channels.setMode('loyalty', 'accept');
    await post(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: LOYALTY) { eventCursor } }`,
    );
    await server.app.dispatcher.whenIdle();
    const retried = await post<{ promotion: { channels: { status: string }[] } }>(
      `{ promotion(id: "${id}") { channels { status } } }`,
    );
    assert.deepEqual(
      retried.data!.promotion.channels.map((c) => c.status),
      ['ACKNOWLEDGED', 'DEAD_LETTERED', 'ACKNOWLEDGED'],
    );
  });

  test('validation against the real product master; ERP down is BACKEND_UNAVAILABLE', async () => {
    const create = `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`;
    const unknown = await post(create, {
      input: draftInput({
        scope: { skus: ['SKU000001', 'SKU123456'] },
        eligibility: { channels: ['POS'], locationIds: ['S001', 'S099'] },
      }),
    });
    assert.deepEqual(unknown.errors, [
      {
        message: 'Invalid promotion input (2 problems)',
        locations: [{ line: 1, column: 49 }],
        path: ['createPromotionDraft'],
        extensions: {
          code: 'BAD_USER_INPUT',
          problems: [
            { field: 'input.scope.skus', message: 'unknown SKUs: SKU123456' },
            { field: 'input.eligibility.locationIds', message: 'unknown locations: S099' },
          ],
        },
      },
    ]);
    backends.state.faults.add({ match: 'API_PRODUCT_SRV', status: 503, times: 10 });
    const down = await post(create, { input: draftInput({ name: 'ERP is down' }) });
    assert.equal(down.errors?.[0]?.extensions?.code, 'BACKEND_UNAVAILABLE');
    const list = await post<{ promotions: { edges: unknown[] } }>(
      `{ promotions(filter: {text: "ERP is down"}) { edges { cursor } } }`,
    );
    assert.deepEqual(list.data, { promotions: { edges: [] } });
  });
});
