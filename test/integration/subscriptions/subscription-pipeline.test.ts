import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMemoryLimiterStore } from '../../../gateway/throttling/memory-limiter-store.ts';
import { countSelectedFields } from '../../../gateway/throttling/operation-weight.ts';
import { loadTrustedDocuments } from '../../../gateway/trusted-document-manifest.ts';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import type { Budget, ThrottlingPolicy } from '../../../policies/throttling-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';
import { createDraft, take, wsClient } from './subscription-kit.ts';

/**
 * Subscriptions take the same road as queries: trusted documents for partners, throttling, and a
 * cap on what one client holds open (issue: "subscriptions take another road").
 */
const big: Budget = { points: 1_000_000, mutationPoints: 100_000 };
const POLICY: ThrottlingPolicy = {
  windowSeconds: 3600,
  channels: {
    // `{ promotionStateChanged { cursor } }` weighs 2 (fields): two subscriptions, not three.
    ECOMMERCE: { ...big, perClient: { points: 5, mutationPoints: 5 } },
    MOBILE: big,
    POS: big,
    MARKETPLACE: big,
    LOYALTY: big,
    partner: big,
    internal: big,
    anonymous: big,
  },
  partners: { default: big, overrides: {} },
  subscriptions: { perClient: 3 },
};
const SUBSCRIBE = 'subscription { promotionStateChanged { cursor } }';
/** contracts/trusted-documents/partner-promotion-events.graphql */
const PARTNER_EVENTS = 'b500a1f691a8d10aa602d41e29962091c1832b22d254aeb18a7d7c5e80138dc5';

type Refusal = { message: string; extensions: Record<string, unknown> }[];

describe('subscriptions pass the same pipeline as queries', () => {
  let stack: TestStack;
  before(async () => {
    const operations = loadOperationsPolicy('policies/operations.yaml', {
      knownTokenClasses: ['channel-app', 'partner', 'internal'],
    });
    stack = await startTestStack({
      skus: 20,
      vendors: 2,
      operations: () => operations,
      trustedDocuments: loadTrustedDocuments('contracts/trusted-documents/manifest.json'),
      throttle: { policy: POLICY, store: createMemoryLimiterStore(), cost: countSelectedFields },
    });
  });
  after(() => stack?.close());

  const partner = () =>
    devToken({
      subject: 'p-sub',
      tokenClass: 'partner',
      partnerId: 'p-sub',
      vendorId: 'V100001',
      scopes: ['events:subscribe', 'promotion:read'],
    });
  const TRUSTED_ONLY =
    'token class partner may run trusted documents only: send the id of a manifest document (extensions.persistedQuery.sha256Hash or documentId)';

  test('a partner free-text subscription over graphql-ws: FORBIDDEN, trusted documents only', async () => {
    const client = wsClient(stack.gatewayUrl, partner());
    try {
      const failure = await client
        .iterate({ query: SUBSCRIBE })
        .next()
        .catch((error: unknown) => error);
      assert.deepEqual(failure, [{ message: TRUSTED_ONLY, extensions: { code: 'FORBIDDEN' } }]);
    } finally {
      await client.dispose();
    }
  });

  test('a partner free-text subscription over SSE: 403 FORBIDDEN', async () => {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${partner()}`,
      },
      body: JSON.stringify({ query: SUBSCRIBE }),
    });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      errors: [{ message: TRUSTED_ONLY, extensions: { code: 'FORBIDDEN' } }],
    });
  });

  test('a partner subscribes by trusted document id and receives only its own vendor', async () => {
    const client = wsClient(stack.gatewayUrl, partner());
    try {
      const start = await createDraft(stack, 'Partner start', { vendorId: 'V100001' });
      const events = client.iterate<{ promotionStateChanged: { cursor: string; kind: string } }>({
        query: '',
        variables: { after: start.eventCursor },
        extensions: { persistedQuery: { version: 1, sha256Hash: PARTNER_EVENTS } },
      });
      await createDraft(stack, 'Other vendor', { vendorId: 'V100002' });
      const own = await createDraft(stack, 'Own vendor', { vendorId: 'V100001' });
      const [event] = await take(events, 1);
      assert.deepEqual(
        [event!.data!.promotionStateChanged.cursor, event!.data!.promotionStateChanged.kind],
        [own.eventCursor, 'STATE_CHANGED'],
      );
      await events.return!();
    } finally {
      await client.dispose();
    }
  });

  test('subscriptions are charged to the throttle: over the budget, RATE_LIMITED', async () => {
    const token = devToken({
      subject: 'shop-sub',
      tokenClass: 'channel-app',
      channel: 'ECOMMERCE',
      scopes: ['events:subscribe'],
    });
    const client = wsClient(stack.gatewayUrl, token);
    try {
      const first = client.iterate({ query: SUBSCRIBE });
      const second = client.iterate({ query: SUBSCRIBE });
      const pending = [first.next(), second.next()];
      const third = await client
        .iterate({ query: SUBSCRIBE })
        .next()
        .catch((error: unknown) => error as Refusal);
      const refusal = (third as Refusal)[0]!;
      assert.equal(refusal.extensions.code, 'RATE_LIMITED');
      assert.match(
        refusal.message,
        /^rate limit exceeded for client sub:shop-sub of ECOMMERCE: the operation costs 2 points, 1 of 5 left in this window; retry after \d+ s$/,
      );
      await first.return!();
      await second.return!();
      void pending;
    } finally {
      await client.dispose();
    }
  });

  test('one client holds at most subscriptions.perClient open; completing one frees a slot', async () => {
    const token = devToken({ subject: 'ops-sub', scopes: ['events:subscribe'] });
    const client = wsClient(stack.gatewayUrl, token);
    const other = wsClient(
      stack.gatewayUrl,
      devToken({ subject: 'ops-other', scopes: ['events:subscribe'] }),
    );
    try {
      const open = [1, 2, 3].map(() => client.iterate({ query: SUBSCRIBE }));
      // Each is admitted once the server answers something other than an error: start them.
      const started = open.map((events) => events.next());
      // Wait until the three are open upstream (a fourth then sees all three).
      await waitFor(async () => (await openSubscriptions(stack)) >= 3);
      const fourth = await client
        .iterate({ query: SUBSCRIBE })
        .next()
        .catch((error: unknown) => error);
      assert.deepEqual(fourth, [
        {
          message:
            'too many open subscriptions: this client holds 3 of at most 3; complete one first',
          extensions: { code: 'RATE_LIMITED', openSubscriptions: 3, limit: 3 },
        },
      ]);
      // Another client is not affected.
      const theirs = other.iterate({ query: SUBSCRIBE });
      const theirsNext = theirs.next();
      await waitFor(async () => (await openSubscriptions(stack)) >= 4);
      await open[0]!.return!();
      await waitFor(async () => (await openSubscriptions(stack)) <= 3);
      const again = client.iterate({ query: SUBSCRIBE });
      const againNext = again.next();
      await waitFor(async () => (await openSubscriptions(stack)) >= 4);
      for (const events of [...open.slice(1), theirs, again]) await events.return!();
      void started;
      void theirsNext;
      void againNext;
    } finally {
      await client.dispose();
      await other.dispose();
    }
  });
});

async function openSubscriptions(stack: TestStack): Promise<number> {
  const text = await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gateway_subscriptions_open{transport="graphql-ws"}'));
  return line ? Number(line.split(' ')[1]) : 0;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
