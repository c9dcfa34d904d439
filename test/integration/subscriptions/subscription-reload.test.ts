import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';
import { createDraft, metric, take, wsClient } from './subscription-kit.ts';
import {
  SUPERGRAPH_SDL,
  startSubscriptionGateway,
  type SubscriptionGateway,
} from './subscription-gateway.ts';

type Event = { promotionStateChanged: { cursor: string; promotion: { name: string } } };

const FUNDING_FIELD = /^ {2}funding: FundingCheck .*$/m;
const QUERY_FUNDING_AGREEMENT = /^ {2}fundingAgreement\(id: ID!\): FundingAgreement .*$/m;
const DESCRIPTION_FIELD = /^ {2}description: String @join__field\(graph: PROMOTION\)$/m;

/** The supergraph with one line of type `Promotion` (or of any type) changed. */
function edited(
  pattern: RegExp,
  replace: (line: string) => string,
  typeName = 'Promotion',
): string {
  const start = SUPERGRAPH_SDL.indexOf(`\ntype ${typeName}\n`);
  const end = SUPERGRAPH_SDL.indexOf('\n}', start);
  assert.ok(start >= 0 && end > start, `no type ${typeName}`);
  const block = SUPERGRAPH_SDL.slice(start, end);
  const line = pattern.exec(block)?.[0];
  assert.ok(line, `no line of ${typeName} matches ${pattern}`);
  return (
    SUPERGRAPH_SDL.slice(0, start) + block.replace(line, replace(line)) + SUPERGRAPH_SDL.slice(end)
  );
}

const NAMES = `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`;
const WITH_DESCRIPTION = `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name description } } }`;
const WITH_FUNDING = `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name funding { check { area } } } } }`;

const pairs = (results: { data?: unknown }[]) =>
  results.map((r) => {
    const event = (r.data as Event).promotionStateChanged;
    return [event.cursor, event.promotion.name];
  });

describe('a supergraph or policy reload keeps open subscriptions', () => {
  let stack: TestStack;
  let gateway: SubscriptionGateway;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('a supergraph that still has the fields: the subscription continues, each event once', async () => {
    gateway = await startSubscriptionGateway(stack);
    const client = wsClient(gateway.url, stack.internalToken);
    try {
      const start = await createDraft(stack, 'Reload start');
      const events = client.iterate({ query: NAMES, variables: { after: start.eventCursor } });
      const a = await createDraft(stack, 'Reload A');
      assert.deepEqual(pairs(await take(events, 1)), [[a.eventCursor, 'Reload A']]);
      // A field the subscription does not select goes away; the rest stays.
      const sdl = edited(QUERY_FUNDING_AGREEMENT, () => '', 'Query');
      const b = await createDraft(stack, 'Reload B'); // committed before the reload...
      assert.deepEqual(await gateway.reload(sdl), { continued: 1, ended: 0 });
      const c = await createDraft(stack, 'Reload C'); // ...and after it
      const d = await createDraft(stack, 'Reload D');
      assert.deepEqual(pairs(await take(events, 3)), [
        [b.eventCursor, 'Reload B'],
        [c.eventCursor, 'Reload C'],
        [d.eventCursor, 'Reload D'],
      ]);
      assert.equal(
        await metric(gateway.url, 'gateway_subscription_reloads_total{outcome="continued"}'),
        1,
      );
      // New subscriptions use the new supergraph.
      const refused = await take(
        client.iterate({ query: '{ fundingAgreement(id: "x") { id } }' }),
        1,
      ).catch((e: unknown) => e);
      assert.equal(
        (refused as { extensions: { code: string } }[])[0]!.extensions.code,
        'GRAPHQL_VALIDATION_FAILED',
      );
      await events.return!();
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });

  test('a selected field removed: that subscription ends with the reason, the others continue', async () => {
    gateway = await startSubscriptionGateway(stack);
    const client = wsClient(gateway.url, stack.internalToken);
    try {
      const start = await createDraft(stack, 'Removal start');
      const variables = { after: start.eventCursor };
      const withDescription = client.iterate({ query: WITH_DESCRIPTION, variables });
      const names = client.iterate({ query: NAMES, variables });
      const a = await createDraft(stack, 'Removal A');
      assert.equal((await take(withDescription, 1)).length, 1);
      assert.deepEqual(pairs(await take(names, 1)), [[a.eventCursor, 'Removal A']]);

      const sdl = edited(DESCRIPTION_FIELD, () => '');
      assert.deepEqual(await gateway.reload(sdl), { continued: 1, ended: 1 });
      const ended = await take(withDescription, 1).catch((e: unknown) => e);
      assert.deepEqual(ended, [
        {
          message:
            'subscription ended by a schema or policy reload: Cannot query field "description" on type "Promotion".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'SCHEMA_RELOAD' },
        },
      ]);
      const b = await createDraft(stack, 'Removal B');
      assert.deepEqual(pairs(await take(names, 1)), [[b.eventCursor, 'Removal B']]);
      assert.equal(
        await metric(gateway.url, 'gateway_subscriptions_ended_total{reason="schema_reload"}'),
        1,
      );
      await names.return!();
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });

  test('access removed by the new policy: the subscription ends with FORBIDDEN', async () => {
    gateway = await startSubscriptionGateway(stack);
    const token = devToken({ scopes: ['events:subscribe', 'promotion:read', 'funding:read'] });
    const client = wsClient(gateway.url, token);
    try {
      const start = await createDraft(stack, 'Policy start');
      const events = client.iterate({
        query: WITH_FUNDING,
        variables: { after: start.eventCursor },
      });
      await createDraft(stack, 'Policy A');
      assert.equal((await take(events, 1)).length, 1);
      // Promotion.funding now needs a scope this token lacks.
      const sdl = edited(FUNDING_FIELD, (line) =>
        line.replace('[["funding:read"]]', '[["funding:audit"]]'),
      );
      assert.deepEqual(await gateway.reload(sdl), { continued: 0, ended: 1 });
      const ended = await take(events, 1).catch((e: unknown) => e);
      assert.deepEqual(ended, [
        {
          message:
            'subscription ended by a schema or policy reload: not authorized: promotionStateChanged.promotion.funding (Promotion.funding) needs scopes [funding:audit]',
          extensions: {
            code: 'FORBIDDEN',
            unauthorizedPaths: ['promotionStateChanged.promotion.funding'],
            reason: 'SCHEMA_RELOAD',
          },
        },
      ]);
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });

  test('an invalid supergraph is refused and changes nothing', async () => {
    gateway = await startSubscriptionGateway(stack);
    const client = wsClient(gateway.url, stack.internalToken);
    try {
      const start = await createDraft(stack, 'Invalid start');
      const events = client.iterate({ query: NAMES, variables: { after: start.eventCursor } });
      const a = await createDraft(stack, 'Invalid A');
      assert.deepEqual(pairs(await take(events, 1)), [[a.eventCursor, 'Invalid A']]);
      await assert.rejects(gateway.reload('type Query { broken'));
      const b = await createDraft(stack, 'Invalid B');
      assert.deepEqual(pairs(await take(events, 1)), [[b.eventCursor, 'Invalid B']]);
      await events.return!();
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });
});
