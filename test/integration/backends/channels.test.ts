/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { signWebhook } from '../../../contracts/protocol/webhook-signature.ts';

const SECRET = 'test-secret';
let running: RunningBackends;

async function publish(
  channel: string,
  key: string,
  payload: unknown = { promotionId: 'prm_1', version: 1 },
  secret = SECRET,
  signedAt = new Date(),
) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${running.url}/channels/${channel}/promotions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature': signWebhook(secret, body, signedAt),
      'idempotency-key': key,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('channel back-ends', () => {
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 10, locations: 5, vendors: 2 },
      channelSigningSecret: SECRET,
      channelModes: { loyalty: 'reject' },
    }).listen(0);
  });
  beforeEach(() => running.state.reset());
  after(() => running.close());

  test('accept: ACCEPTED with a channelRef; the same Idempotency-Key again is a flagged duplicate', async () => {
    const first = await publish('ecommerce', 'prm_1:v1:LIVE:ECOMMERCE');
    assert.deepEqual(first, {
      status: 200,
      body: { ack: 'ACCEPTED', channelRef: 'ECOMMERCE-000001' },
    });
    const again = await publish('ecommerce', 'prm_1:v1:LIVE:ECOMMERCE');
    assert.deepEqual(again, {
      status: 200,
      body: { ack: 'ACCEPTED', channelRef: 'ECOMMERCE-000001', duplicate: true },
    });
  });

  test('a bad signature gets 401 and is logged as such', async () => {
    const res = await publish('pos', 'k1', { a: 1 }, 'wrong-secret');
    assert.deepEqual(res, {
      status: 401,
      body: {
        error: 'INVALID_SIGNATURE',
        message: 'X-Signature does not match the timestamp and body',
      },
    });
    const [entry] = running.state.channels.received('pos');
    assert.equal(entry!.signatureValid, false);
    assert.equal(entry!.verdict.status, 401);
  });

  test('a stale timestamp (a replay, over 5 minutes old or ahead) gets 401 STALE_SIGNATURE', async () => {
    const stale = {
      status: 401,
      body: {
        error: 'STALE_SIGNATURE',
        message: 'X-Signature timestamp is too far from now (replay refused)',
      },
    };
    const old = new Date(Date.now() - 301_000);
    assert.deepEqual(await publish('pos', 'k1', { a: 1 }, SECRET, old), stale);
    assert.deepEqual(
      await publish('pos', 'k2', { a: 1 }, SECRET, new Date(Date.now() + 301_000)),
      stale,
    );
    // Within the tolerance it is accepted.
    const recent = await publish('pos', 'k3', { a: 1 }, SECRET, new Date(Date.now() - 240_000));
    assert.equal(recent.status, 200);
    // The same signature with the body changed is forged, not stale.
    const res = await fetch(`${running.url}/channels/pos/promotions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signWebhook(SECRET, '{"a":1}'),
        'idempotency-key': 'k4',
      },
      body: '{"a":2}',
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as any).error, 'INVALID_SIGNATURE');
    assert.deepEqual(
      running.state.channels
        .received('pos')
        .map((m) => [m.headers.idempotencyKey, m.signatureValid, m.verdict.status]),
      [
        ['k1', false, 401],
        ['k2', false, 401],
        ['k3', true, 200],
        ['k4', false, 401],
      ],
    );
  });

  test('every message is logged in order with headers, body and verdict (admin API too)', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000); // the signature carries seconds
    await publish('mobile', 'k1', { n: 1 }, SECRET, at);
    await publish('mobile', 'k2', { n: 2 }, SECRET, at);
    const res = await fetch(`${running.url}/__admin/channels/mobile/received`);
    const body = (await res.json()) as any;
    assert.deepEqual(
      body.received.map((m: any) => [
        m.seq,
        m.headers.idempotencyKey,
        m.body.n,
        m.verdict.status,
        m.headers.timestamp,
      ]),
      [
        [1, 'k1', 1, 200, at.toISOString()],
        [2, 'k2', 2, 200, at.toISOString()],
      ],
    );
    assert.equal(
      (await fetch(`${running.url}/__admin/channels/mobile/received`, { method: 'DELETE' })).status,
      204,
    );
    assert.equal(running.state.channels.received('mobile').length, 0);
  });

  test('modes duplicate, error, reject (from config), accepted-not-live, ack-twice', async () => {
    running.state.channels.setMode('pos', 'duplicate');
    assert.deepEqual(await publish('pos', 'd1'), {
      status: 409,
      body: { ack: 'DUPLICATE', channelRef: 'POS-000001' },
    });
    running.state.channels.setMode('pos', 'error');
    assert.equal((await publish('pos', 'e1')).status, 500);
    assert.deepEqual(await publish('loyalty', 'r1'), {
      status: 422,
      body: {
        ack: 'REJECTED',
        error: 'UNPROCESSABLE',
        message: 'loyalty rejected the publication (emulated, permanent)',
      },
    });
    running.state.channels.setMode('marketplace', 'accepted-not-live');
    assert.deepEqual(await publish('marketplace', 'q1'), {
      status: 202,
      body: { ack: 'QUEUED', channelRef: 'MARKETPLACE-000001' },
    });
    running.state.channels.setMode('ecommerce', 'ack-twice');
    const a = await publish('ecommerce', 'same');
    const b = await publish('ecommerce', 'same');
    assert.deepEqual(
      [a.body, b.body],
      [
        { ack: 'ACCEPTED', channelRef: 'ECOMMERCE-000001' },
        { ack: 'ACCEPTED', channelRef: 'ECOMMERCE-000002' },
      ],
    );
  });

  test('slow delays then accepts; mode set through the admin API', async () => {
    const put = await fetch(`${running.url}/__admin/channels/pos/mode`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'slow', slowMs: 150 }),
    });
    assert.deepEqual(await put.json(), { channel: 'pos', mode: 'slow', slowMs: 150 });
    const started = performance.now();
    const res = await publish('pos', 's1');
    assert.ok(performance.now() - started >= 140);
    assert.deepEqual(res, { status: 200, body: { ack: 'ACCEPTED', channelRef: 'POS-000001' } });
  });

  test('down destroys the connection and logs DOWN', async () => {
    running.state.channels.setMode('pos', 'down');
    await assert.rejects(publish('pos', 'x1'), TypeError);
    assert.deepEqual(running.state.channels.received('pos')[0]!.verdict, {
      status: 0,
      body: 'DOWN',
    });
  });

  test('unknown channel → 404; bad mode → 400', async () => {
    const res = await fetch(`${running.url}/channels/fax/promotions`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(res.status, 404);
    await res.arrayBuffer();
    const bad = await fetch(`${running.url}/__admin/channels/pos/mode`, {
      method: 'PUT',
      body: JSON.stringify({ mode: 'sleepy' }),
    });
    assert.equal(bad.status, 400);
    await bad.arrayBuffer();
  });

  test('waitForReceived resolves once messages arrive', async () => {
    const waiting = running.state.channels.waitForReceived('ecommerce', 2);
    await publish('ecommerce', 'w1');
    await publish('ecommerce', 'w2');
    assert.equal((await waiting).length, 2);
  });
});
