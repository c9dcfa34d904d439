import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';
import { publishedPromotion } from '../../helpers/published-promotion.ts';
import { liveDraftInput } from '../../helpers/draft-input.ts';

const RECORD = `mutation ($channel: SalesChannel!, $lines: [RedemptionLineInput!]!) {
  recordRedemptions(channel: $channel, lines: $lines) { recorded duplicates rejected { code } }
}`;

/**
 * Sales feeds through the gateway: who may send them (channel back-ends for their own channel,
 * internal services; never a partner), and who sees what of the performance (finance-only
 * fields need `finance:read`).
 */
describe('recordRedemptions and performance through the gateway', () => {
  let stack: TestStack;
  let id: string;
  const posFeed = devToken({
    subject: 'pos-backend',
    tokenClass: 'channel-app',
    channel: 'POS',
    scopes: ['redemptions:write'],
  });
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      transactionId: `POS-${i}`,
      lineNumber: 1,
      promotionId: id,
      sku: 'SKU000001',
      locationId: 'S001',
      quantity: '1',
      discount: { amount: '0.10', currency: 'EUR' },
      soldAt: new Date(Date.now() - 1000).toISOString(),
    }));

  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 3, vendors: 2 });
    id = await publishedPromotion(
      stack,
      liveDraftInput('Feed', ['POS', 'ECOMMERCE'], {
        offer: { kind: 'PERCENT_OFF', percentOff: '1' },
      }),
      ['POS', 'ECOMMERCE'],
    );
  });
  after(async () => stack?.close());

  test("a channel back-end records its own channel's feed, once", async () => {
    const feed = lines(200);
    const first = await stack.query(RECORD, { channel: 'POS', lines: feed }, { token: posFeed });
    assert.deepEqual(first.body, {
      data: { recordRedemptions: { recorded: 200, duplicates: 0, rejected: [] } },
    });
    const replay = await stack.query(RECORD, { channel: 'POS', lines: feed }, { token: posFeed });
    assert.deepEqual(replay.body.data, {
      recordRedemptions: { recorded: 0, duplicates: 200, rejected: [] },
    });
  });

  test('refused: another channel, a partner, a token without the scope, 1001 lines', async () => {
    const other = await stack.query(
      RECORD,
      { channel: 'ECOMMERCE', lines: lines(1) },
      { token: posFeed },
    );
    assert.equal(other.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const partner = devToken({
      subject: 'vendor-x',
      tokenClass: 'partner',
      partnerId: 'p-1',
      vendorId: 'V000001',
      scopes: ['redemptions:write'],
    });
    const byPartner = await stack.query(
      RECORD,
      { channel: 'POS', lines: lines(1) },
      { token: partner },
    );
    assert.equal(byPartner.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const reader = devToken({ tokenClass: 'internal', scopes: ['promotion:read'] });
    const noScope = await stack.query(
      RECORD,
      { channel: 'POS', lines: lines(1) },
      { token: reader },
    );
    assert.equal(noScope.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const tooMany = await stack.query(RECORD, { channel: 'POS', lines: lines(1001) });
    assert.equal(tooMany.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  test('performance: the retailer-funded part only with finance:read', async () => {
    const query = `{ promotion(id: "${id}") { performance { totals { units discountGiven { amount } retailerFunded { amount } } } } }`;
    const finance = await stack.query<{
      promotion: { performance: { totals: Record<string, unknown> } };
    }>(query);
    assert.deepEqual(finance.body.data?.promotion.performance.totals, {
      units: '200',
      discountGiven: { amount: '20.00' },
      retailerFunded: { amount: '20.00' },
    });
    const reader = devToken({ tokenClass: 'internal', scopes: ['promotion:read'] });
    const denied = await stack.query(query, {}, { token: reader });
    assert.equal(denied.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('the emulated POS sends its feed to the gateway; its replay changes nothing', async () => {
    const send = async (body: Record<string, unknown>) => {
      const res = await fetch(`${stack.backends.url}/__admin/channels/pos/sales-feed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: stack.gatewayUrl, token: posFeed, ...body }),
      });
      assert.equal(res.status, 200);
      return (await res.json()) as {
        sent: number;
        recorded: number;
        duplicates: number;
        rejected: unknown[];
      };
    };
    const first = await send({ transactions: 30, returns: 3, seed: 7 });
    assert.equal(first.sent, 30, 'one SKU in scope: one line per transaction');
    assert.deepEqual([first.recorded, first.duplicates, first.rejected], [first.sent, 0, []]);
    const again = await send({ replay: true });
    assert.deepEqual([again.recorded, again.duplicates, again.rejected], [0, first.sent, []]);
  });
});
