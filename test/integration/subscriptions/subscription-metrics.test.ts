import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'graphql-sse';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import {
  createDraft,
  metric,
  metricBecomes,
  startGateway,
  take,
  wsClient,
} from './subscription-kit.ts';

const QUERY = `subscription($after: String) { promotionStateChanged(after: $after) { cursor } }`;

describe('subscription metrics: connections, open subscriptions, lag, buffered events', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('connections per transport and the lag of each delivered event', async () => {
    const gateway = await startGateway(stack);
    const ws = wsClient(gateway.url, stack.internalToken);
    const sse = createClient({
      url: gateway.url,
      retryAttempts: 0,
      headers: { authorization: `Bearer ${stack.internalToken}` },
    });
    const sample = (name: string) => metric(gateway.url, name);
    try {
      const start = await createDraft(stack, 'Metrics start');
      const variables = { after: start.eventCursor };
      const overWs = ws.iterate({ query: QUERY, variables });
      const overSse = sse.iterate({ query: QUERY, variables });
      const draft = await createDraft(stack, 'Metrics');
      const expected = [{ data: { promotionStateChanged: { cursor: draft.eventCursor } } }];
      assert.deepEqual(await take(overWs, 1), expected);
      assert.deepEqual(await take(overSse, 1), expected);
      assert.deepEqual(
        {
          wsConnections: await sample('gateway_subscription_connections{transport="graphql-ws"}'),
          sseConnections: await sample('gateway_subscription_connections{transport="sse"}'),
          wsOpen: await sample('gateway_subscriptions_open{transport="graphql-ws"}'),
          sseOpen: await sample('gateway_subscriptions_open{transport="sse"}'),
          lagCount: await sample('gateway_subscription_lag_seconds_count'),
          lagInf: await sample('gateway_subscription_lag_seconds_bucket{le="+Inf"}'),
          buffered: await sample('gateway_subscription_buffered_events'),
        },
        {
          wsConnections: 1,
          sseConnections: 1,
          wsOpen: 1,
          sseOpen: 1,
          lagCount: 2,
          lagInf: 2,
          buffered: 0,
        },
      );
      assert.ok((await sample('gateway_subscription_lag_seconds_sum'))! >= 0);
      await overWs.return!();
      await overSse.return!();
      await ws.dispose();
      await metricBecomes(
        gateway.url,
        'gateway_subscription_connections{transport="graphql-ws"}',
        0,
      );
      await metricBecomes(gateway.url, 'gateway_subscription_connections{transport="sse"}', 0);
    } finally {
      sse.dispose();
      await ws.dispose();
      await gateway.close();
    }
  });
});
