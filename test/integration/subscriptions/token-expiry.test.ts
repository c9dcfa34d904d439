import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'graphql-sse';
import type { CloseEvent } from 'ws';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { nowSeconds, rs256 } from '../../helpers/tokens.ts';
import { createDraft, metricBecomes, take, wsClient } from './subscription-kit.ts';

/** A token of the development key that expires in `seconds`. */
const shortLived = (seconds: number) =>
  rs256({ scope: 'events:subscribe promotion:read', exp: nowSeconds() + seconds });

const QUERY = `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`;

describe('a subscription ends when its token expires', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('graphql-ws: the connection closes with 4401 token expired at expiry', async () => {
    const client = wsClient(stack.gatewayUrl, shortLived(5));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.on('closed', (event) => {
        const { code, reason } = event as CloseEvent;
        resolve({ code, reason: String(reason) });
      }),
    );
    try {
      const start = await createDraft(stack, 'Expiry WS start');
      const events = client.iterate({ query: QUERY, variables: { after: start.eventCursor } });
      const draft = await createDraft(stack, 'Expiry WS');
      assert.deepEqual(await take(events, 1), [
        {
          data: {
            promotionStateChanged: { cursor: draft.eventCursor, promotion: { name: 'Expiry WS' } },
          },
        },
      ]);
      assert.deepEqual(await closed, { code: 4401, reason: 'token expired' });
      const failure = await events.next().catch((e: unknown) => e);
      assert.equal((failure as CloseEvent).code, 4401);
      await metricBecomes(
        stack.gatewayUrl,
        'gateway_subscriptions_open{transport="graphql-ws"}',
        0,
      );
    } finally {
      await client.dispose();
    }
  });

  test('SSE: an UNAUTHENTICATED token expired event, then the stream ends', async () => {
    const client = createClient({
      url: stack.gatewayUrl,
      retryAttempts: 0,
      headers: { authorization: `Bearer ${shortLived(5)}` },
    });
    try {
      const start = await createDraft(stack, 'Expiry SSE start');
      const events = client.iterate({ query: QUERY, variables: { after: start.eventCursor } });
      const draft = await createDraft(stack, 'Expiry SSE');
      assert.deepEqual(await take(events, 2), [
        {
          data: {
            promotionStateChanged: { cursor: draft.eventCursor, promotion: { name: 'Expiry SSE' } },
          },
        },
        { errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] },
      ]);
      assert.deepEqual(await events.next(), { done: true, value: undefined });
      await metricBecomes(stack.gatewayUrl, 'gateway_subscriptions_open{transport="sse"}', 0);
      await metricBecomes(stack.gatewayUrl, 'gateway_subscription_connections{transport="sse"}', 0);
    } finally {
      client.dispose();
    }
  });
});
