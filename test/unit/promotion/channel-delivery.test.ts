import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';
import {
  classifyResponse,
  createWebhookChannelPublisher,
} from '../../../subgraphs/promotion/adapters/channel-webhook.adapter.ts';
import { verifyWebhook } from '../../../contracts/protocol/webhook-signature.ts';
import { createApproved, createHarness, firstError, type Harness } from './promotion-harness.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

type Received = { channel: string; headers: IncomingMessage['headers']; body: string };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('channel webhooks delivered by the durable dispatcher (PGlite)', () => {
  let h: Harness;
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  const received: Received[] = [];
  /** Scripted answers per channel (status, body); default 200 ACCEPTED. */
  const answers = new Map<string, [number, unknown][]>();
  /** A channel whose next request is held: `arrived` resolves on it, `released` lets it answer. */
  const holds = new Map<string, { arrived: () => void; released: Promise<void> }>();

  before(async () => {
    fixture = await startHttpFixture((req, res, url) => {
      const channel = url.pathname.split('/')[2]!;
      void readBody(req).then(async (body) => {
        received.push({ channel, headers: req.headers, body });
        const hold = holds.get(channel);
        if (hold) {
          holds.delete(channel);
          hold.arrived();
          await hold.released;
        }
        const [status, payload] = answers.get(channel)?.shift() ?? [
          200,
          { ack: 'ACCEPTED', channelRef: `${channel}-ref` },
        ];
        if (status === 0) return; // never answers: the client times out
        sendJson(res, status, payload);
      });
    });
    h = await createHarness({
      publisher: createWebhookChannelPublisher({
        baseUrl: `${fixture.url}/channels`,
        signingSecret: 'test-secret',
        timeoutMs: 200,
      }),
      delivery: { policy: testDeliveryPolicy({ maxAttempts: 3, requestTimeoutMs: 1000 }) },
    });
  });
  after(async () => {
    await h.close();
    await fixture.close();
  });

  async function publish(channels: string): Promise<string> {
    const { id } = await createApproved(h, {
      eligibility: { channels: ['ECOMMERCE', 'POS', 'MOBILE', 'LOYALTY'] },
    });
    await h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [${channels}]) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();
    return id;
  }

  const channelState = async (id: string) =>
    (
      await h.run<{
        promotion: {
          channels: Record<string, unknown>[];
          publicationSummary: Record<string, unknown>;
        };
      }>(
        `{ promotion(id: "${id}") { channels { channel intent status publishedVersion attempts lastError nextAttemptAt channelRef }
          publicationSummary { total acknowledged pending failed deadLettered isFullyPublished } } }`,
      )
    ).promotion;

  test('signed request: X-Signature over the timestamp and the raw body, Idempotency-Key', async () => {
    received.length = 0;
    const id = await publish('ECOMMERCE');
    const [request] = received;
    assert.equal(request!.channel, 'ecommerce');
    const signature = String(request!.headers['x-signature']);
    assert.match(signature, /^t=\d{10},v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyWebhook('test-secret', request!.body, signature).ok, true);
    assert.equal(request!.headers['x-timestamp'], undefined);
    assert.equal(request!.headers['idempotency-key'], `${id}:v4:LIVE:ECOMMERCE`);
    assert.equal(request!.headers['content-type'], 'application/json');
    const payload = JSON.parse(request!.body) as Record<string, unknown>;
    assert.equal(request!.headers['x-delivery-id'], payload.deliveryId);
    assert.deepEqual(
      { ...payload, deliveryId: 'D' },
      {
        specVersion: '1',
        deliveryId: 'D',
        idempotencyKey: `${id}:v4:LIVE:ECOMMERCE`,
        promotionId: id,
        version: 4,
        intent: 'LIVE',
        channel: 'ECOMMERCE',
        name: 'Spring coffee week',
        customerDisplayName: '10% off coffee',
        window: {
          startsAt: '2026-03-10T00:00:00.000Z',
          endsAt: '2026-03-20T00:00:00.000Z',
          timeZone: 'Europe/Berlin',
          mode: 'ABSOLUTE',
        },
        offer: { kind: 'PERCENT_OFF', percentOff: '10' },
        scope: {
          skus: ['SKU000001', 'SKU000002'],
          categoryIds: [],
          brandIds: [],
          hierarchyNodeIds: [],
          excludedSkus: [],
          excludedCategoryIds: [],
          excludedBrandIds: [],
          excludedHierarchyNodeIds: [],
        },
        eligibility: { locationIds: [], regionIds: [], customerSegments: [], requiresCode: false },
        stacking: { mode: 'STACKABLE', discountClass: 'PRODUCT', priority: 10 },
        limits: null,
      },
    );
    assert.deepEqual((await channelState(id)).channels, [
      {
        channel: 'ECOMMERCE',
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: 4,
        attempts: 1,
        lastError: null,
        nextAttemptAt: null,
        channelRef: 'ecommerce-ref',
      },
    ]);
  });

  test('retries a 500 (and a timeout) with backoff, then acknowledges', async () => {
    received.length = 0;
    answers.set('pos', [
      [500, { error: 'INTERNAL' }],
      [0, null],
    ]);
    const id = await publish('POS');
    assert.equal(received.length, 3);
    assert.deepEqual((await channelState(id)).channels, [
      {
        channel: 'POS',
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: 4,
        attempts: 3,
        lastError: null,
        nextAttemptAt: null,
        channelRef: 'pos-ref',
      },
    ]);
    const events = h.app.eventBus.stream({
      after: '0',
      filter: (e) => e.promotionId === id && e.kind === 'CHANNEL_STATUS_CHANGED',
    });
    const statuses: string[] = [];
    for (let i = 0; i < 7; i++) {
      const next = await events.next();
      statuses.push(
        `${next.value!.channelStatus}${next.value!.reason ? ` (${next.value!.reason})` : ''}`,
      );
    }
    await events.return!();
    assert.deepEqual(statuses, [
      'PENDING (channels: POS)',
      'SENT',
      'FAILED (HTTP 500: {"error":"INTERNAL"})',
      'SENT',
      'FAILED (timed out after 1000 ms)',
      'SENT',
      'ACKNOWLEDGED',
    ]);
  });

  test('a 422 dead-letters at once; retryChannelDelivery re-queues it', async () => {
    received.length = 0;
    answers.set('mobile', [[422, { ack: 'REJECTED', error: 'UNPROCESSABLE' }]]);
    const id = await publish('MOBILE');
    assert.equal(received.length, 1);
    const dead = await channelState(id);
    assert.deepEqual(dead.channels, [
      {
        channel: 'MOBILE',
        intent: 'LIVE',
        status: 'DEAD_LETTERED',
        publishedVersion: null,
        attempts: 1,
        lastError: 'HTTP 422: {"ack":"REJECTED","error":"UNPROCESSABLE"}',
        nextAttemptAt: null,
        channelRef: null,
      },
    ]);
    assert.deepEqual(dead.publicationSummary, {
      total: 1,
      acknowledged: 0,
      pending: 0,
      failed: 0,
      deadLettered: 1,
      isFullyPublished: false,
    });

    const retried = await h.run<{
      retryChannelDelivery: {
        promotion: { version: number; channels: { status: string; attempts: number }[] };
        eventCursor: string;
      };
    }>(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: MOBILE) { promotion { version channels { status attempts } } eventCursor } }`,
    );
    assert.deepEqual(retried.retryChannelDelivery.promotion, {
      version: 4,
      channels: [{ status: 'PENDING', attempts: 0 }],
    });
    await h.app.dispatcher.whenIdle();
    assert.equal(received.length, 2);
    assert.equal(received[1]!.headers['idempotency-key'], `${id}:v4:LIVE:MOBILE`);
    assert.deepEqual((await channelState(id)).channels[0]!.status, 'ACKNOWLEDGED');

    const again = await h.exec(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: MOBILE) { eventCursor } }`,
    );
    assert.deepEqual(firstError(again), {
      message:
        'The MOBILE delivery is ACKNOWLEDGED; only FAILED or DEAD_LETTERED deliveries can be retried',
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'channel', message: 'delivery is ACKNOWLEDGED' }],
      },
    });
    const unknown = await h.exec(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: POS) { eventCursor } }`,
    );
    assert.deepEqual(firstError(unknown).extensions, {
      code: 'NOT_FOUND',
      kind: 'ChannelPublication',
      id: `${id}/POS`,
    });
  });

  test('redriveDeadLetters re-queues every dead letter of a channel in one call', async () => {
    received.length = 0;
    const rejected: [number, unknown][] = [[422, { ack: 'REJECTED', error: 'UNPROCESSABLE' }]];
    answers.set('loyalty', [...rejected, ...rejected]);
    const first = await publish('LOYALTY');
    const second = await publish('LOYALTY, MOBILE');
    assert.deepEqual(
      (await channelState(second)).channels.map((c) => [c.channel, c.status]),
      [
        ['MOBILE', 'ACKNOWLEDGED'],
        ['LOYALTY', 'DEAD_LETTERED'],
      ],
    );
    const result = await h.run<{ redriveDeadLetters: unknown }>(
      `mutation { redriveDeadLetters(channel: LOYALTY) { redrivenCount redriven { promotionId channel } failed { promotionId } more } }`,
    );
    assert.deepEqual(result.redriveDeadLetters, {
      redrivenCount: 2,
      redriven: [
        { promotionId: first, channel: 'LOYALTY' },
        { promotionId: second, channel: 'LOYALTY' },
      ],
      failed: [],
      more: false,
    });
    await h.app.dispatcher.whenIdle();
    for (const id of [first, second]) {
      const loyalty = (await channelState(id)).channels.find((c) => c.channel === 'LOYALTY');
      assert.equal(loyalty!.status, 'ACKNOWLEDGED');
    }
    const none = await h.run<{ redriveDeadLetters: { redrivenCount: number } }>(
      `mutation { redriveDeadLetters(promotionIds: ["${first}"]) { redrivenCount } }`,
    );
    assert.equal(none.redriveDeadLetters.redrivenCount, 0);
  });

  test('retryable failures dead-letter after maxAttempts', async () => {
    received.length = 0;
    answers.set('loyalty', [
      [503, ''],
      [429, ''],
      [408, ''],
    ]);
    const id = await publish('LOYALTY');
    assert.equal(received.length, 3);
    const [loyalty] = (await channelState(id)).channels;
    assert.deepEqual(
      [loyalty!.status, loyalty!.attempts, loyalty!.lastError],
      ['DEAD_LETTERED', 3, 'HTTP 408: ""'],
    );
  });

  test('a newer intent supersedes a delivery in flight: its late answer is not recorded', async () => {
    received.length = 0;
    const { id } = await createApproved(h, { eligibility: { channels: ['ECOMMERCE'] } });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) =>
      holds.set('ecommerce', { arrived: resolve, released }),
    );
    await h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE]) { eventCursor } }`,
    );
    // The v4 delivery is at the channel, its answer held; the edit makes it v5.
    await arrived;
    await h.run(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 4, input: {name: "Renamed"}) { eventCursor } }`,
    );
    release();
    await h.app.dispatcher.whenIdle();
    assert.deepEqual(
      received.map((r) => r.headers['idempotency-key']),
      [`${id}:v4:LIVE:ECOMMERCE`, `${id}:v5:LIVE:ECOMMERCE`],
    );
    const [ecommerce] = (await channelState(id)).channels;
    assert.deepEqual(
      [ecommerce!.status, ecommerce!.publishedVersion, ecommerce!.attempts],
      ['ACKNOWLEDGED', 5, 1],
    );
  });

  test('how answers are classified', () => {
    assert.deepEqual(classifyResponse(200, '{"ack":"ACCEPTED","channelRef":"R1"}'), {
      kind: 'acknowledged',
      ack: 'ACCEPTED',
      channelRef: 'R1',
    });
    assert.deepEqual(classifyResponse(409, '{"ack":"DUPLICATE","channelRef":"R1"}'), {
      kind: 'acknowledged',
      ack: 'DUPLICATE',
      channelRef: 'R1',
    });
    assert.deepEqual(classifyResponse(202, '{"ack":"QUEUED"}'), {
      kind: 'acknowledged',
      ack: 'QUEUED',
      channelRef: null,
    });
    assert.deepEqual(classifyResponse(204, ''), {
      kind: 'acknowledged',
      ack: 'ACCEPTED',
      channelRef: null,
    });
    assert.deepEqual(classifyResponse(400, 'bad'), { kind: 'permanent', error: 'HTTP 400: bad' });
    assert.deepEqual(classifyResponse(401, ''), { kind: 'permanent', error: 'HTTP 401' });
    assert.deepEqual(classifyResponse(429, ''), { kind: 'retryable', error: 'HTTP 429' });
    assert.deepEqual(classifyResponse(502, ''), { kind: 'retryable', error: 'HTTP 502' });
  });
});
