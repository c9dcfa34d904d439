import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { draftInput } from '../../helpers/draft-input.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

const QUERY = `{ promotions(first: 1) { edges { node { id name audit { edges { cursor } } } } } }`;
const CREATE = `mutation($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id state } }
}`;
const INPUT = draftInput('Authz sale');

describe('authorization from the supergraph, through the whole stack', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 50, locations: 5, vendors: 3 });
  });
  after(async () => stack?.close());

  /** Asserts a refusal that never reached planning, a subgraph or the ERP. */
  async function refused(
    query: string,
    token: string | null,
    expected: { status: number; code: string; message: string; paths: string[] },
    variables?: Record<string, unknown>,
  ) {
    stack.backends.state.counters.reset();
    const executions = stack.executions();
    const res = await stack.query(query, variables, { token });
    assert.equal(res.status, expected.status);
    assert.deepEqual(res.body, {
      errors: [
        {
          message: expected.message,
          extensions: { code: expected.code, unauthorizedPaths: expected.paths },
        },
      ],
    });
    assert.equal(stack.executions(), executions, 'the operation reached execution');
    assert.equal(stack.backends.state.counters.snapshot().total, 0, 'the ERP was called');
  }

  test('a query with one unauthorized field is refused whole (403), nothing executes', async () => {
    await refused(QUERY, devToken({ scopes: ['promotion:read'] }), {
      status: 403,
      code: 'FORBIDDEN',
      message:
        'not authorized: promotions.edges.node.audit (Promotion.audit) needs scopes [promotion:audit]',
      paths: ['promotions.edges.node.audit'],
    });
  });

  test('the same query with the scopes it needs runs', async () => {
    const res = await stack.query(QUERY, undefined, {
      token: devToken({ scopes: ['promotion:read', 'promotion:audit'] }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { data: { promotions: { edges: [] } } });
  });

  test('anonymous on protected fields: 401 UNAUTHENTICATED with a Bearer challenge', async () => {
    await refused(QUERY, null, {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'authentication required',
      paths: ['promotions', 'promotions.edges.node.audit'],
    });
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="promotions-graph"');
  });

  test('a mutation without its scope is refused whole; nothing is created', async () => {
    await refused(
      CREATE,
      devToken({ scopes: ['promotion:read'] }),
      {
        status: 403,
        code: 'FORBIDDEN',
        message:
          'not authorized: createPromotionDraft (Mutation.createPromotionDraft) needs scopes [promotion:write]',
        paths: ['createPromotionDraft'],
      },
      { input: INPUT },
    );
    const list = await stack.query<{ promotions: { edges: unknown[] } }>(
      '{ promotions { edges { node { id } } } }',
    );
    assert.deepEqual(list.body.data, { promotions: { edges: [] } });
  });

  test('the same mutation with promotion:write runs', async () => {
    const res = await stack.query<{ createPromotionDraft: { promotion: { state: string } } }>(
      CREATE,
      { input: INPUT },
      { token: devToken({ scopes: ['promotion:write'] }) },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.errors, undefined);
    assert.equal(res.body.data?.createPromotionDraft.promotion.state, 'DRAFT');
  });

  test('@policy: a partner token with promotion:approve still may not approve', async () => {
    await refused(
      'mutation { approvePromotion(id: "x", expectedVersion: 1) { eventCursor } }',
      devToken({
        scopes: ['promotion:approve'],
        tokenClass: 'partner',
        partnerId: 'P1',
        vendorId: 'V1',
      }),
      {
        status: 403,
        code: 'FORBIDDEN',
        message:
          'not authorized: approvePromotion (Mutation.approvePromotion) needs policy [internal-only]',
        paths: ['approvePromotion'],
      },
    );
  });

  test('anonymous callers reach what the schema leaves open (locations)', async () => {
    const res = await stack.query<{ locations: { edges: unknown[] } }>(
      '{ locations(first: 2) { edges { node { id } } } }',
      undefined,
      { token: null },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.errors, undefined);
    assert.equal(res.body.data?.locations.edges.length, 2);
  });

  test('@authenticated: any token, no scope needed; anonymous gets 401', async () => {
    const query = '{ product(sku: "SKU000001") { sku } }';
    const res = await stack.query(query, undefined, { token: devToken({ scopes: [] }) });
    assert.deepEqual(res.body, { data: { product: { sku: 'SKU000001' } } });
    await refused(query, null, {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'authentication required',
      paths: ['product'],
    });
  });

  test('introspection: internal allowed; partner, channel-app and anonymous refused', async () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';
    const ok = await stack.query(INTROSPECT, undefined, { token: devToken({ scopes: [] }) });
    assert.deepEqual(ok.body, { data: { __schema: { queryType: { name: 'Query' } } } });
    const cases: [string | null, string][] = [
      [
        devToken({ scopes: [], tokenClass: 'partner', partnerId: 'P1', vendorId: 'V1' }),
        'token class partner',
      ],
      [
        devToken({ scopes: [], tokenClass: 'channel-app', channel: 'MOBILE' }),
        'token class channel-app',
      ],
      [null, 'anonymous callers'],
    ];
    for (const [token, who] of cases) {
      await refused(INTROSPECT, token, {
        status: 403,
        code: 'FORBIDDEN',
        message: `introspection is not allowed for ${who}`,
        paths: ['__schema'],
      });
    }
  });
});
