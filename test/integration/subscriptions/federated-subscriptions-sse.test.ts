import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient, NetworkError } from 'graphql-sse';
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
} from './subscription-kit.ts';

type Event = { promotionStateChanged: { cursor: string; promotion: { name: string } } };

function sseClient(url: string, token: string | null, singleConnection = false) {
  return createClient<boolean>({
    url,
    singleConnection,
    retryAttempts: 0,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function failureOf(iterator: AsyncIterator<unknown>) {
  const error = await iterator.next().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof NetworkError, String(error));
  const response = (error as NetworkError<Response>).response!;
  return { status: response.status, body: await response.json() };
}

describe('federated subscriptions through the gateway over SSE (graphql-sse)', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('an SSE request body over the limit is refused with 413 BAD_REQUEST, nothing run', async () => {
    const before = stack.executions();
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${stack.internalToken}`,
      },
      body: JSON.stringify({
        query: `subscription { promotionStateChanged { cursor } } # ${'x'.repeat(1024 * 1024)}`,
      }),
    });
    assert.equal(response.status, 413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, 'BAD_REQUEST');
    assert.equal(stack.executions(), before);
  });

  for (const singleConnection of [false, true]) {
    const mode = singleConnection ? 'single connection mode' : 'distinct connections mode';

    test(`${mode}: an event merges promotion, inventory and funding fields`, async () => {
      const start = await createDraft(stack, `SSE start ${mode}`);
      const client = sseClient(stack.gatewayUrl, stack.internalToken, singleConnection);
      try {
        const events = client.iterate({
          query: `subscription($after: String) { promotionStateChanged(after: $after) ${EVENT_SELECTION} }`,
          variables: { after: start.eventCursor },
        });
        const draft = await createDraft(stack, `SSE ${mode}`);
        assert.deepEqual(await take(events, 1), [
          {
            data: {
              promotionStateChanged: {
                cursor: draft.eventCursor,
                kind: 'STATE_CHANGED',
                toState: 'DRAFT',
                promotion: await promotionNow(stack, draft.id),
              },
            },
          },
        ]);
        await events.return!();
      } finally {
        client.dispose();
      }
    });
  }

  test('no token: 401 UNAUTHENTICATED', async () => {
    const client = sseClient(stack.gatewayUrl, null);
    try {
      const failure = await failureOf(
        client.iterate({ query: 'subscription { promotionStateChanged { cursor } }' }),
      );
      assert.deepEqual(failure, {
        status: 401,
        body: {
          errors: [{ message: 'authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
        },
      });
    } finally {
      client.dispose();
    }
  });

  test('a bad token: 401 with the reason', async () => {
    const client = sseClient(stack.gatewayUrl, 'not.a.jwt');
    try {
      const failure = await failureOf(
        client.iterate({ query: 'subscription { promotionStateChanged { cursor } }' }),
      );
      assert.deepEqual(failure, {
        status: 401,
        body: {
          errors: [
            { message: 'invalid token: malformed', extensions: { code: 'UNAUTHENTICATED' } },
          ],
        },
      });
    } finally {
      client.dispose();
    }
  });

  test('a missing scope: 403 FORBIDDEN naming the field', async () => {
    const client = sseClient(stack.gatewayUrl, devToken({ scopes: ['promotion:read'] }));
    try {
      const failure = await failureOf(
        client.iterate({ query: 'subscription { promotionStateChanged { cursor } }' }),
      );
      assert.deepEqual(failure, {
        status: 403,
        body: {
          errors: [
            {
              message:
                'not authorized: promotionStateChanged (Subscription.promotionStateChanged) needs scopes [events:subscribe]',
              extensions: { code: 'FORBIDDEN', unauthorizedPaths: ['promotionStateChanged'] },
            },
          ],
        },
      });
    } finally {
      client.dispose();
    }
  });

  test('a query is refused: only subscriptions are served over SSE', async () => {
    const client = sseClient(stack.gatewayUrl, stack.internalToken);
    try {
      const failure = await failureOf(client.iterate({ query: '{ __typename }' }));
      assert.deepEqual(failure, {
        status: 400,
        body: {
          errors: [
            {
              message: 'only subscriptions are served here; send a query as an HTTP POST',
              extensions: { code: 'BAD_REQUEST' },
            },
          ],
        },
      });
    } finally {
      client.dispose();
    }
  });

  test('resuming with `after` replays the missed events in order; closing unsubscribes', async () => {
    const first = await createDraft(stack, 'SSE resume 1');
    const second = await createDraft(stack, 'SSE resume 2');
    const third = await createDraft(stack, 'SSE resume 3');
    const client = sseClient(stack.gatewayUrl, stack.internalToken);
    const open = 'gateway_subscriptions_open{transport="sse"}';
    try {
      const events = client.iterate<Event>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`,
        variables: { after: first.eventCursor },
      });
      const received = await take(events, 2);
      assert.deepEqual(
        received.map((r) => [
          r.data!.promotionStateChanged.cursor,
          r.data!.promotionStateChanged.promotion.name,
        ]),
        [
          [second.eventCursor, 'SSE resume 2'],
          [third.eventCursor, 'SSE resume 3'],
        ],
      );
      assert.equal(await metric(stack.gatewayUrl, open), 1);
      await events.return!();
      await metricBecomes(stack.gatewayUrl, open, 0);
    } finally {
      client.dispose();
    }
  });

  test('shutdown completes an open SSE subscription', async () => {
    const gateway = await startGateway(stack);
    const client = sseClient(gateway.url, stack.internalToken);
    try {
      const start = await createDraft(stack, 'SSE shutdown start');
      const events = client.iterate<Event>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`,
        variables: { after: start.eventCursor },
      });
      const draft = await createDraft(stack, 'SSE shutdown');
      assert.deepEqual(await take(events, 1), [
        {
          data: {
            promotionStateChanged: {
              cursor: draft.eventCursor,
              promotion: { name: 'SSE shutdown' },
            },
          },
        },
      ]);
      const stopping = gateway.close();
      assert.deepEqual(await events.next(), { done: true, value: undefined });
      await stopping;
    } finally {
      client.dispose();
    }
  });
});
