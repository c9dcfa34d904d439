/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { signWebhook } from '../../../contracts/protocol/webhook-signature.ts';

const SECRET = 'feed-secret';
const TOKEN = 'feed-token';
let running: RunningBackends;

/** The product's `recordRedemptions` API, faked: records calls, checks the bearer, counts duplicates. */
type FakeApi = {
  url: string;
  calls: { auth: string | undefined; channel: string; lines: any[]; query: string }[];
  seen: Set<string>;
  mode: 'ok' | 'errors' | 'fail-second-call';
};
let api: FakeApi;
let apiServer: Server;

function startApi(): Promise<void> {
  api = { url: '', calls: [], seen: new Set(), mode: 'ok' };
  apiServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        return reply(401, { errors: [{ message: 'Unauthenticated' }] });
      }
      const lines = body.variables.lines as any[];
      api.calls.push({
        auth: req.headers.authorization,
        channel: body.variables.channel,
        lines,
        query: body.query,
      });
      if (api.mode === 'errors' || (api.mode === 'fail-second-call' && api.calls.length === 2)) {
        return reply(200, {
          data: null,
          errors: [{ message: 'boom', extensions: { code: 'INTERNAL' } }],
        });
      }
      let recorded = 0;
      let duplicates = 0;
      for (const line of lines) {
        const key = `${line.transactionId}#${line.lineNumber}`;
        if (api.seen.has(key)) duplicates++;
        else {
          api.seen.add(key);
          recorded++;
        }
      }
      reply(200, { data: { recordRedemptions: { recorded, duplicates, rejected: [] } } });
    });
  });
  return new Promise((resolve) =>
    apiServer.listen(0, '127.0.0.1', () => {
      api.url = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}/graphql`;
      resolve();
    }),
  );
}

const HOUR = 3_600_000;

function publication(channel: string, promotionId: string, overrides: Record<string, any> = {}) {
  const version = overrides.version ?? 1;
  const intent = overrides.intent ?? 'LIVE';
  return {
    specVersion: '1',
    deliveryId: `d-${promotionId}-${version}`,
    idempotencyKey: `${promotionId}:v${version}:${intent}:${channel.toUpperCase()}`,
    promotionId,
    version,
    intent,
    channel: channel.toUpperCase(),
    name: `Promotion ${promotionId}`,
    customerDisplayName: null,
    window: {
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + HOUR).toISOString(),
      timeZone: 'Europe/Berlin',
      mode: 'ABSOLUTE',
    },
    offer: { kind: 'PERCENT_OFF', percentOff: '20' },
    scope: {
      skus: ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000004', 'SKU000005'],
      categoryIds: [],
      brandIds: [],
      excludedSkus: [],
      excludedCategoryIds: [],
    },
    eligibility: {
      locationIds: ['S002'],
      regionIds: [],
      customerSegments: [],
      requiresCode: false,
    },
    stacking: { mode: 'STACKABLE', discountClass: 'PRODUCT', priority: 0 },
    limits: null,
    ...overrides,
  };
}

/** Publishes to the channel the way the promotion subgraph does (signed, with Idempotency-Key). */
async function publish(channel: string, payload: ReturnType<typeof publication>) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${running.url}/channels/${channel}/promotions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature': signWebhook(SECRET, body),
      'idempotency-key': payload.idempotencyKey,
    },
    body,
  });
  assert.equal(res.status, 200, await res.text());
}

async function feed(channel: string, body: Record<string, unknown>) {
  const res = await fetch(`${running.url}/__admin/channels/${channel}/sales-feed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: api.url, token: TOKEN, ...body }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const sentLines = () => api.calls.flatMap((c) => c.lines);
const price = (sku: string) => running.state.erp.seed.meta.priceCents[Number(sku.slice(3))]!;

describe('channel sales feed (/__admin/channels/{channel}/sales-feed)', () => {
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 300, locations: 10, vendors: 5 },
      channelSigningSecret: SECRET,
    }).listen(0);
    await startApi();
  });
  beforeEach(() => {
    running.state.reset();
    api.calls = [];
    api.seen.clear();
    api.mode = 'ok';
  });
  after(async () => {
    await running.close();
    await new Promise<void>((resolve) => apiServer.close(() => resolve()));
  });

  test('sends deterministic lines with the offer discount (20 % of the ERP price × quantity)', async () => {
    await publish('pos', publication('pos', 'prm_20'));
    const res = await feed('pos', { transactions: 40, seed: 7 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const lines = sentLines();
    assert.deepEqual(res.body, {
      sent: lines.length,
      calls: 1,
      recorded: lines.length,
      duplicates: 0,
      rejected: [],
    });
    assert.equal(api.calls[0]!.auth, `Bearer ${TOKEN}`);
    assert.equal(api.calls[0]!.channel, 'POS');
    assert.match(api.calls[0]!.query, /recordRedemptions\(channel: \$channel, lines: \$lines\)/);
    const ids = new Set(lines.map((l) => l.transactionId));
    assert.deepEqual(
      [...ids],
      Array.from({ length: 40 }, (_, i) => `POS-7-${i + 1}`),
    );
    for (const line of lines) {
      assert.equal(line.promotionId, 'prm_20');
      assert.equal(line.locationId, 'S002');
      assert.match(line.sku, /^SKU00000[1-5]$/);
      assert.match(line.quantity, /^[123]$/);
      const cents = Math.round((price(line.sku) * Number(line.quantity) * 20) / 100);
      assert.deepEqual(line.discount, { amount: (cents / 100).toFixed(2), currency: 'EUR' });
      assert.equal(Date.parse(line.soldAt) <= Date.now() - 59_000, true);
    }
    for (const id of ids) {
      const numbers = lines.filter((l) => l.transactionId === id).map((l) => l.lineNumber);
      assert.ok(numbers.length >= 1 && numbers.length <= 3);
      assert.deepEqual(
        numbers,
        numbers.map((_, i) => i + 1),
      );
    }

    api.calls = [];
    api.seen.clear();
    const soldAt = lines[0]!.soldAt;
    assert.equal((await feed('pos', { transactions: 40, seed: 7, soldAt })).status, 200);
    assert.deepEqual(sentLines(), lines, 'same seed and soldAt → identical lines');
    api.calls = [];
    assert.equal((await feed('pos', { transactions: 40, seed: 8, soldAt })).status, 200);
    assert.notDeepEqual(
      sentLines().map((l) => [l.sku, l.quantity]),
      lines.map((l) => [l.sku, l.quantity]),
    );
    assert.equal(sentLines()[0]!.transactionId, 'POS-8-1');
  });

  test('a body locationId wins; AMOUNT_OFF is amount × quantity in the offer currency', async () => {
    await publish(
      'ecommerce',
      publication('ecommerce', 'prm_amt', {
        offer: { kind: 'AMOUNT_OFF', amountOff: { amount: '0.50', currency: 'USD' } },
      }),
    );
    const res = await feed('ecommerce', { transactions: 5, locationId: 'F001' });
    assert.equal(res.status, 200);
    for (const line of sentLines()) {
      assert.equal(line.locationId, 'F001');
      assert.match(line.transactionId, /^ECOMMERCE-1-[1-5]$/);
      assert.deepEqual(line.discount, {
        amount: (0.5 * Number(line.quantity)).toFixed(2),
        currency: 'USD',
      });
    }
    assert.equal(api.calls[0]!.channel, 'ECOMMERCE');
  });

  test('more than 1000 lines go in sequential calls of at most 1000', async () => {
    await publish('pos', publication('pos', 'prm_big'));
    const res = await feed('pos', { transactions: 600 });
    assert.equal(res.status, 200);
    assert.ok(res.body.sent > 1000 && res.body.sent <= 1800, `sent ${res.body.sent}`);
    assert.equal(res.body.calls, 2);
    assert.equal(api.calls.length, 2);
    assert.equal(api.calls[0]!.lines.length, 1000);
    assert.equal(api.calls[1]!.lines.length, res.body.sent - 1000);
    assert.equal(res.body.recorded, res.body.sent);
  });

  test('returns: the last transactions return an earlier sale with negative quantity and discount', async () => {
    await publish('pos', publication('pos', 'prm_ret'));
    const res = await feed('pos', { transactions: 10, returns: 3, seed: 3 });
    assert.equal(res.status, 200);
    const lines = sentLines();
    const returns = lines.filter((l) => l.transactionId.endsWith('-R'));
    assert.deepEqual(
      [...new Set(returns.map((l) => l.transactionId))],
      ['POS-3-8-R', 'POS-3-9-R', 'POS-3-10-R'],
    );
    assert.equal(lines.filter((l) => /^POS-3-(8|9|10)$/.test(l.transactionId)).length, 0);
    for (const line of returns) {
      assert.match(line.quantity, /^-[123]$/);
      assert.match(line.discount.amount, /^-\d+\.\d{2}$/);
      const sale = lines.find(
        (l) =>
          !l.transactionId.endsWith('-R') &&
          l.sku === line.sku &&
          l.locationId === line.locationId &&
          l.quantity === line.quantity.slice(1) &&
          l.discount.amount === line.discount.amount.slice(1),
      );
      assert.ok(sale, `an earlier sale for ${JSON.stringify(line)}`);
    }
  });

  test('replay re-sends exactly the previous lines: the API reports them as duplicates', async () => {
    await publish('mobile', publication('mobile', 'prm_rep'));
    const first = await feed('mobile', { transactions: 20, returns: 2 });
    assert.equal(first.status, 200);
    const lines = sentLines();
    api.calls = [];
    const replay = await feed('mobile', { replay: true });
    assert.deepEqual(replay, {
      status: 200,
      body: { sent: lines.length, calls: 1, recorded: 0, duplicates: lines.length, rejected: [] },
    });
    assert.deepEqual(sentLines(), lines);
  });

  test('409 when the channel shows nothing live at soldAt, or has no feed to replay', async () => {
    const none = await feed('pos', { transactions: 1 });
    assert.equal(none.status, 409);
    assert.equal(none.body.error, 'NO_LIVE_PROMOTION');
    assert.match(none.body.message, /pos shows no promotion live/);

    await publish('pos', publication('pos', 'prm_gone'));
    await publish('pos', publication('pos', 'prm_gone', { version: 2, intent: 'WITHDRAWN' }));
    await publish(
      'pos',
      publication('pos', 'prm_later', {
        window: {
          startsAt: new Date(Date.now() + HOUR).toISOString(),
          endsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
          timeZone: 'UTC',
          mode: 'ABSOLUTE',
        },
      }),
    );
    assert.equal((await feed('pos', { transactions: 1 })).status, 409);
    assert.equal(
      (
        await feed('pos', {
          transactions: 1,
          soldAt: new Date(Date.now() + 1.5 * HOUR).toISOString(),
        })
      ).status,
      200,
    );
    assert.deepEqual([...new Set(sentLines().map((l) => l.promotionId))], ['prm_later']);
    const noReplay = await feed('loyalty', { replay: true });
    assert.equal(noReplay.status, 409);
    assert.equal(noReplay.body.error, 'NO_PREVIOUS_FEED');
    assert.equal(api.calls.length, 1);
  });

  test('502 with what the API said when a call fails, and how many calls succeeded before', async () => {
    await publish('pos', publication('pos', 'prm_err'));
    api.mode = 'fail-second-call';
    const res = await feed('pos', { transactions: 600 });
    assert.equal(res.status, 502);
    assert.equal(res.body.error, 'SALES_FEED_FAILED');
    assert.equal(res.body.callsSucceeded, 1);
    assert.equal(res.body.sent, 1000);
    assert.equal(res.body.recorded, 1000);
    assert.deepEqual(res.body.response.errors, [
      { message: 'boom', extensions: { code: 'INTERNAL' } },
    ]);

    const unauthorized = await feed('pos', { transactions: 1, token: 'wrong' });
    assert.equal(unauthorized.status, 502);
    assert.equal(unauthorized.body.status, 401);
    assert.equal(unauthorized.body.callsSucceeded, 0);
    assert.deepEqual(unauthorized.body.response, { errors: [{ message: 'Unauthenticated' }] });
  });

  test('reset forgets the previous feed', async () => {
    await publish('pos', publication('pos', 'prm_reset'));
    assert.equal((await feed('pos', { transactions: 2 })).status, 200);
    assert.equal((await feed('pos', { replay: true })).status, 200);
    assert.equal((await fetch(`${running.url}/__admin/reset`, { method: 'POST' })).status, 204);
    const replay = await feed('pos', { replay: true });
    assert.equal(replay.status, 409);
    assert.equal(replay.body.error, 'NO_PREVIOUS_FEED');
  });

  test('a category-only scope sells SKUs of that ERP product group (not marked for deletion)', async () => {
    const seed = running.state.erp.seed;
    const group = 'GRP003';
    const members = new Set(
      (seed.productsByGroup.get(group) ?? [])
        .filter((n) => seed.products[n - 1]!.IsMarkedForDeletion !== true)
        .map((n) => `SKU${String(n).padStart(6, '0')}`),
    );
    assert.ok(members.size > 0);
    await publish(
      'marketplace',
      publication('marketplace', 'prm_cat', {
        offer: { kind: 'BUY_X_GET_Y' },
        scope: {
          skus: [],
          categoryIds: [group],
          brandIds: [],
          excludedSkus: [],
          excludedCategoryIds: [],
        },
        eligibility: { locationIds: [], regionIds: [], customerSegments: [], requiresCode: false },
      }),
    );
    assert.equal((await feed('marketplace', { transactions: 30 })).status, 200);
    const lines = sentLines();
    for (const line of lines) {
      assert.ok(members.has(line.sku), `${line.sku} is in ${group}`);
      assert.equal(line.locationId, 'S001');
      const cents = Math.round((price(line.sku) * Number(line.quantity) * 10) / 100);
      assert.equal(line.discount.amount, (cents / 100).toFixed(2), 'other kinds: 10 %');
    }
  });

  test('a store where the promotion is held for stock does not sell it', async () => {
    await publish(
      'loyalty',
      publication('loyalty', 'prm_held', {
        eligibility: {
          locationIds: ['S001', 'S002'],
          regionIds: [],
          customerSegments: [],
          requiresCode: false,
        },
        heldLocationIds: ['S001'],
      }),
    );
    assert.equal((await feed('loyalty', { transactions: 3 })).status, 200);
    const lines = sentLines();
    assert.ok(lines.length > 0);
    assert.ok(lines.every((l) => l.locationId === 'S002'));
  });

  test('400 on a bad body', async () => {
    const res = await feed('pos', { transactions: 0 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'BAD_SALES_FEED');
    assert.equal((await feed('pos', { transactions: 5, returns: 5 })).status, 400);
    assert.equal((await feed('pos', { transactions: 5, url: 'nope' })).status, 400);
    assert.equal((await feed('kiosk', { transactions: 5 })).status, 404);
  });
});
