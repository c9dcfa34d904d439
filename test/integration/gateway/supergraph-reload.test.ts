import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RunningGateway } from '../../../gateway/server.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { createDraft, startGateway, take, wsClient } from '../subscriptions/subscription-kit.ts';

const SDL = readFileSync('contracts/supergraph.graphql', 'utf8');
const OPEN = '  location(id: ID!): Location @join__field(graph: INVENTORY)';
/** The same supergraph with `Query.location` now needing a scope. */
const PROTECTED = SDL.replace(OPEN, `${OPEN} @requiresScopes(scopes: [["inventory:read"]])`);

const anonymousLocation = (gateway: RunningGateway) =>
  fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ location(id: "S001") { id } }' }),
  });

describe('a running gateway takes a new supergraph without a restart', () => {
  let stack: TestStack;
  let gateway: RunningGateway;
  before(async () => {
    assert.notEqual(PROTECTED, SDL, 'the test supergraph edit applies');
    stack = await startTestStack({ skus: 20, vendors: 2 });
    gateway = await startGateway(stack);
  });
  after(async () => {
    await gateway?.close();
    await stack?.close();
  });

  test('access control follows the new supergraph; an open subscription continues on it', async () => {
    assert.equal((await anonymousLocation(gateway)).status, 200);
    const start = await createDraft(stack, 'Before reload');
    const client = wsClient(gateway.url, stack.internalToken);
    try {
      const events = client.iterate<{ promotionStateChanged: { promotion: { name: string } } }>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) { promotion { name } } }`,
        variables: { after: start.eventCursor },
      });
      await createDraft(stack, 'Seen before reload');
      assert.deepEqual(await take(events, 1), [
        { data: { promotionStateChanged: { promotion: { name: 'Seen before reload' } } } },
      ]);

      assert.deepEqual(await gateway.reload(PROTECTED), { continued: 1, ended: 0 });

      const refused = await anonymousLocation(gateway);
      assert.equal(refused.status, 401);
      assert.equal(
        ((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!
          .extensions.code,
        'UNAUTHENTICATED',
      );
      await createDraft(stack, 'Seen after reload');
      assert.deepEqual(await take(events, 1), [
        { data: { promotionStateChanged: { promotion: { name: 'Seen after reload' } } } },
      ]);
    } finally {
      await client.dispose();
    }
  });

  test('an unusable supergraph is refused and the one in force stays', async () => {
    await assert.rejects(gateway.reload('type Query { nothing: String }'));
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.internalToken}`,
      },
      body: JSON.stringify({ query: '{ location(id: "S001") { id } }' }),
    });
    assert.deepEqual(await res.json(), { data: { location: { id: 'S001' } } });
  });

  test('queries are validated and planned against the new supergraph', async () => {
    const withoutLocation = SDL.replace(
      `  """A location by id; null when unknown."""\n${OPEN}\n`,
      '',
    );
    assert.notEqual(withoutLocation, SDL);
    await gateway.reload(withoutLocation);
    const gone = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.internalToken}`,
      },
      body: JSON.stringify({ query: '{ location(id: "S001") { id } }' }),
    });
    assert.equal(gone.status, 400);
    const body = (await gone.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    await gateway.reload(SDL);
    assert.equal((await anonymousLocation(gateway)).status, 200);
  });
});
