import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CloseEvent } from 'ws';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';
import {
  EVENT_SELECTION,
  createDraft,
  metric,
  metricBecomes,
  promotionNow,
  startGateway,
  take,
  wsClient,
} from './subscription-kit.ts';

type Result = { data?: Record<string, unknown> | null; errors?: unknown[] };

const SUBSCRIPTION = `subscription($ids: [ID!], $after: String) {
  promotionStateChanged(filter: { promotionIds: $ids }, after: $after) ${EVENT_SELECTION}
}`;

function closeOf(client: ReturnType<typeof wsClient>): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    client.on('closed', (event) => {
      const { code, reason } = event as CloseEvent;
      resolve({ code, reason: String(reason) });
    }),
  );
}

describe('federated subscriptions through the gateway over graphql-ws', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('an event carries promotion fields merged with inventory and funding fields', async () => {
    const before = await createDraft(stack, 'Before');
    const client = wsClient(stack.gatewayUrl, stack.internalToken);
    try {
      // Subscribing after a known cursor: the draft created next is received whether it
      // arrives before or after the subscription is registered upstream.
      const events = client.iterate<Record<string, unknown>>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) ${EVENT_SELECTION} }`,
        variables: { after: before.eventCursor },
      });
      const draft = await createDraft(stack, 'Merged');
      const [event] = await take(events, 1);
      assert.deepEqual(event, {
        data: {
          promotionStateChanged: {
            cursor: draft.eventCursor,
            kind: 'STATE_CHANGED',
            toState: 'DRAFT',
            promotion: await promotionNow(stack, draft.id),
          },
        },
      });
      type Area = { check: { area: string } };
      const { promotion } = event!.data!.promotionStateChanged as {
        promotion: { stockReadiness: Area; funding: Area };
      };
      assert.equal(promotion.stockReadiness.check.area, 'INVENTORY');
      assert.equal(promotion.funding.check.area, 'FUNDING');
      await events.return!();
    } finally {
      await client.dispose();
    }
  });

  test('connecting without a token closes with 4401 authentication required', async () => {
    const client = wsClient(stack.gatewayUrl, null);
    const closed = closeOf(client);
    const failed = take(client.iterate({ query: SUBSCRIPTION }), 1).catch((e: unknown) => e);
    assert.deepEqual(await closed, { code: 4401, reason: 'authentication required' });
    assert.equal(((await failed) as CloseEvent).code, 4401);
    await client.dispose();
  });

  test('connecting with a bad token closes with 4401 and the reason', async () => {
    const client = wsClient(stack.gatewayUrl, 'not.a.jwt');
    const closed = closeOf(client);
    const failed = take(client.iterate({ query: SUBSCRIPTION }), 1).catch((e: unknown) => e);
    assert.deepEqual(await closed, { code: 4401, reason: 'invalid token: malformed' });
    await failed;
    await client.dispose();
  });

  test('a missing scope is an error message with FORBIDDEN; the connection stays usable', async () => {
    const token = devToken({ scopes: ['events:subscribe', 'promotion:read'] });
    const client = wsClient(stack.gatewayUrl, token);
    try {
      const refused = await take(client.iterate({ query: SUBSCRIPTION }), 1).catch(
        (e: unknown) => e,
      );
      assert.deepEqual(refused, [
        {
          message:
            'not authorized: promotionStateChanged.promotion.stockReadiness (Promotion.stockReadiness) needs scopes [inventory:read]; promotionStateChanged.promotion.funding (Promotion.funding) needs scopes [funding:read]',
          extensions: {
            code: 'FORBIDDEN',
            unauthorizedPaths: [
              'promotionStateChanged.promotion.stockReadiness',
              'promotionStateChanged.promotion.funding',
            ],
          },
        },
      ]);
      const draft = await createDraft(stack, 'Scoped');
      const allowed = client.iterate({
        query: `subscription($ids: [ID!]) { promotionStateChanged(filter: { promotionIds: $ids }, after: "0") { cursor promotion { id name } } }`,
        variables: { ids: [draft.id] },
      });
      assert.deepEqual(await take(allowed, 1), [
        {
          data: {
            promotionStateChanged: {
              cursor: draft.eventCursor,
              promotion: { id: draft.id, name: 'Scoped' },
            },
          },
        },
      ]);
      await allowed.return!();
    } finally {
      await client.dispose();
    }
  });

  test('a partner token receives its own vendor only; asking for another vendor is FORBIDDEN', async () => {
    const token = devToken({
      scopes: ['events:subscribe', 'promotion:read'],
      tokenClass: 'partner',
      partnerId: 'P1',
      vendorId: 'V100001',
    });
    const client = wsClient(stack.gatewayUrl, token);
    try {
      const other = await take(
        client.iterate({
          query: `subscription { promotionStateChanged(filter: { vendorId: "V100002" }) { cursor } }`,
        }),
        1,
      ).catch((e: unknown) => e);
      assert.deepEqual(other, [
        {
          message: 'this token sees only vendor V100001, not V100002',
          extensions: { code: 'FORBIDDEN' },
        },
      ]);
      const start = await createDraft(stack, 'Partner start');
      const events = client.iterate<{ promotionStateChanged: { promotion: { name: string } } }>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) { promotion { name } } }`,
        variables: { after: start.eventCursor },
      });
      await createDraft(stack, 'Other vendor', { vendorId: 'V100002' });
      await createDraft(stack, 'No vendor');
      await createDraft(stack, 'Own vendor', { vendorId: 'V100001' });
      const [event] = await take(events, 1);
      assert.deepEqual(event, {
        data: { promotionStateChanged: { promotion: { name: 'Own vendor' } } },
      });
      await events.return!();
    } finally {
      await client.dispose();
    }
  });

  test('reconnecting with `after` receives every missed event in order, without duplicates', async () => {
    const first = await createDraft(stack, 'Resume 1');
    const ids = [first.id];
    const client = wsClient(stack.gatewayUrl, stack.internalToken);
    const events = client.iterate<{ promotionStateChanged: { cursor: string } }>({
      query: SUBSCRIPTION,
      variables: { ids, after: '0' },
    });
    const [seen] = await take(events, 1);
    const lastCursor = seen!.data!.promotionStateChanged.cursor;
    assert.equal(lastCursor, first.eventCursor);
    await client.dispose();
    // Missed while disconnected: two new drafts (the filter takes their ids).
    const second = await createDraft(stack, 'Resume 2');
    const third = await createDraft(stack, 'Resume 3');
    const again = wsClient(stack.gatewayUrl, stack.internalToken);
    try {
      // Tests in this file run one after another: every event after the cursor is this test's.
      const resumed = again.iterate<{
        promotionStateChanged: { cursor: string; promotion: { name: string } };
      }>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`,
        variables: { after: lastCursor },
      });
      const seenNow = (results: { data?: unknown }[]) =>
        results.map((r) => {
          const e = (
            r.data as { promotionStateChanged: { cursor: string; promotion: { name: string } } }
          ).promotionStateChanged;
          return [e.cursor, e.promotion.name];
        });
      assert.deepEqual(seenNow(await take(resumed, 2)), [
        [second.eventCursor, 'Resume 2'],
        [third.eventCursor, 'Resume 3'],
      ]);
      // No replay follows: the next event is the next change.
      const fourth = await createDraft(stack, 'Resume 4');
      assert.deepEqual(seenNow(await take(resumed, 1)), [[fourth.eventCursor, 'Resume 4']]);
      await resumed.return!();
    } finally {
      await again.dispose();
    }
  });

  test('an upstream refusal (a bad cursor) is an event with BAD_USER_INPUT, then complete', async () => {
    const client = wsClient(stack.gatewayUrl, stack.internalToken);
    try {
      const events = client.iterate({
        query: 'subscription { promotionStateChanged(after: "not-a-cursor") { cursor } }',
      });
      assert.deepEqual(await events.next(), {
        done: false,
        value: {
          data: null,
          errors: [
            {
              message: 'after is not a valid event cursor',
              path: ['promotionStateChanged'],
              extensions: {
                code: 'BAD_USER_INPUT',
                problems: [{ field: 'after', message: 'is not a valid event cursor' }],
                serviceName: 'promotion',
              },
            },
          ],
        },
      });
      assert.deepEqual(await events.next(), { done: true, value: undefined });
    } finally {
      await client.dispose();
    }
  });

  test('a Rest failure arrives as errors on that event; the subscription continues', async () => {
    const start = await createDraft(stack, 'Fault start');
    const client = wsClient(stack.gatewayUrl, stack.internalToken);
    try {
      const events = client.iterate<{
        promotionStateChanged: { promotion: Record<string, unknown> };
      }>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) ${EVENT_SELECTION} }`,
        variables: { after: start.eventCursor },
      });
      stack.backends.state.faults.add({
        match: 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod',
        status: 503,
      });
      let faulty: Result | undefined;
      let draft;
      try {
        // SKUs and stores no other test reads, so no cached stock hides the fault.
        draft = await createDraft(stack, 'During fault', {
          scope: { skus: ['SKU000040'] },
          eligibility: { channels: ['ECOMMERCE'], locationIds: ['S010'] },
          expectedUnits: [{ sku: 'SKU000040', quantity: '1' }],
        });
        [faulty] = (await take(events, 1)) as Result[];
      } finally {
        stack.backends.state.faults.reset();
      }
      const event = faulty!.data!.promotionStateChanged as { promotion: Record<string, unknown> };
      assert.equal(event.promotion.id, draft.id);
      assert.equal(event.promotion.stockReadiness, null);
      assert.deepEqual(
        (event.promotion.funding as { check: { area: string } }).check.area,
        'FUNDING',
      );
      assert.deepEqual(faulty!.errors, [
        {
          message: 'erp is unavailable: HTTP 503',
          path: ['promotionStateChanged', 'promotion', 'stockReadiness'],
          extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp', serviceName: 'inventory' },
        },
      ]);
      assert.doesNotMatch(JSON.stringify(faulty!), /MatlStk|innererror/);

      const healthy = await createDraft(stack, 'After fault');
      const [next] = await take(events, 1);
      assert.deepEqual(next, {
        data: {
          promotionStateChanged: {
            cursor: healthy.eventCursor,
            kind: 'STATE_CHANGED',
            toState: 'DRAFT',
            promotion: await promotionNow(stack, healthy.id),
          },
        },
      });
      await events.return!();
    } finally {
      await client.dispose();
    }
  });
});

describe('graphql-ws connections: shared upstream, unsubscribe, shutdown', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('two clients share one upstream connection; complete unsubscribes upstream', async () => {
    const gateway = await startGateway(stack);
    const open = 'gateway_subscription_upstream_connections{subgraph="promotion"}';
    const connects = 'gateway_subscription_upstream_connects_total{subgraph="promotion"}';
    const a = wsClient(gateway.url, stack.internalToken);
    const b = wsClient(gateway.url, stack.internalToken);
    try {
      const start = await createDraft(stack, 'Shared start');
      const query = `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`;
      const first = a.iterate({ query, variables: { after: start.eventCursor } });
      const second = b.iterate({ query, variables: { after: start.eventCursor } });
      const draft = await createDraft(stack, 'Shared');
      const expected = {
        data: {
          promotionStateChanged: { cursor: draft.eventCursor, promotion: { name: 'Shared' } },
        },
      };
      assert.deepEqual(await take(first, 1), [expected]);
      assert.deepEqual(await take(second, 1), [expected]);
      assert.equal(await metric(gateway.url, open), 1);
      assert.equal(await metric(gateway.url, connects), 1);
      assert.equal(
        await metric(gateway.url, 'gateway_subscriptions_open{transport="graphql-ws"}'),
        2,
      );
      await first.return!();
      await metricBecomes(gateway.url, 'gateway_subscriptions_open{transport="graphql-ws"}', 1);
      await second.return!();
      await metricBecomes(gateway.url, 'gateway_subscriptions_open{transport="graphql-ws"}', 0);
      // The last upstream subscription gone, the shared connection closes (lazy).
      await metricBecomes(gateway.url, open, 0);
      assert.equal(await metric(gateway.url, 'gateway_subscription_events_total{outcome="ok"}'), 2);
    } finally {
      await a.dispose();
      await b.dispose();
      await gateway.close();
    }
  });

  test('shutdown completes open subscriptions and closes with 1001 and a reason', async () => {
    const gateway = await startGateway(stack);
    const client = wsClient(gateway.url, stack.internalToken);
    const closed = closeOf(client);
    const start = await createDraft(stack, 'Shutdown start');
    const events = client.iterate({
      query: `subscription($after: String) { promotionStateChanged(after: $after) { cursor } }`,
      variables: { after: start.eventCursor },
    });
    const draft = await createDraft(stack, 'Before shutdown');
    assert.deepEqual(await take(events, 1), [
      { data: { promotionStateChanged: { cursor: draft.eventCursor } } },
    ]);
    const stopping = gateway.close();
    assert.deepEqual(await events.next(), { done: true, value: undefined });
    assert.deepEqual(await closed, { code: 1001, reason: 'gateway shutting down' });
    await stopping;
    await client.dispose();
  });
});
