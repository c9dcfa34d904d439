import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { draftInput } from '../../helpers/draft-input.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

/**
 * The request pipeline resolves ONE operation per request and every check reads it; a request
 * it cannot resolve is refused before any check could be skipped (issue: "an empty
 * operationName runs any mutation unchecked").
 */
type Json = {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const CREATE = `mutation Create($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id version state } }
}`;
const DRAFT = draftInput('Pipeline sale');

describe('one resolved operation: nothing runs unchecked', () => {
  let stack: TestStack;
  let promotionId: string;

  const post = (body: unknown, token: string | null) =>
    stack.post(body, token) as Promise<{ status: number; body: Json }>;
  async function state(): Promise<{ state: string; version: number }> {
    const res = await stack.query<{ promotion: { state: string; version: number } }>(
      'query($id: ID!) { promotion(id: $id) { state version } }',
      { id: promotionId },
    );
    return res.body.data!.promotion;
  }

  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 3, vendors: 2 });
    const created = await stack.query<{
      createPromotionDraft: { promotion: { id: string } };
    }>(CREATE, { input: DRAFT });
    promotionId = created.body.data!.createPromotionDraft.promotion.id;
  });
  after(() => stack?.close());

  const cancel = () =>
    `mutation { cancelPromotion(promotionId: "${promotionId}", reason: "x") { promotion { id state } } }`;

  test('operationName "" with no token: 400 BAD_REQUEST, nothing executed, nothing changed', async () => {
    const before = await state();
    const executions = stack.executions();
    const res = await post({ query: cancel(), operationName: '' }, null);
    assert.deepEqual(res, {
      status: 400,
      body: {
        errors: [
          {
            message:
              'operationName is empty: send the name of an operation of the document, or leave it out',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    });
    assert.equal(stack.executions(), executions);
    assert.deepEqual(await state(), before);
  });

  test('without operationName the same mutation is refused by authorization, not run', async () => {
    const res = await post({ query: cancel() }, null);
    assert.equal(res.status, 401);
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('a partner holding only promotion:read cannot submit a draft with operationName ""', async () => {
    const token = devToken({
      subject: 'p1',
      tokenClass: 'partner',
      partnerId: 'p1',
      vendorId: 'V100001',
      scopes: ['promotion:read'],
    });
    const executions = stack.executions();
    const empty = await post(
      { query: CREATE, variables: { input: DRAFT }, operationName: '' },
      token,
    );
    assert.equal(empty.status, 400);
    assert.equal(empty.body.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    const named = await post({ query: CREATE, variables: { input: DRAFT } }, token);
    assert.deepEqual(named, {
      status: 403,
      body: {
        errors: [
          {
            message:
              'not authorized: createPromotionDraft (Mutation.createPromotionDraft) needs scopes [promotion:write]',
            extensions: { code: 'FORBIDDEN', unauthorizedPaths: ['createPromotionDraft'] },
          },
        ],
      },
    });
    assert.equal(stack.executions(), executions);
  });

  test('an internal token with the scope still needs a real operation name', async () => {
    const res = await post({ query: cancel(), operationName: '' }, stack.internalToken);
    assert.equal(res.status, 400);
    assert.deepEqual(await state(), { state: 'DRAFT', version: 1 });
  });

  const several = {
    message: 'the document contains several operations: send operationName to choose one',
    extensions: { code: 'BAD_REQUEST' },
  };
  const lone = {
    message: 'This anonymous operation must be the only defined operation.',
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  };
  for (const [label, body, errors] of [
    [
      'an unknown operationName',
      { query: '{ __typename }', operationName: 'Nope' },
      [
        {
          message: 'the document has no operation named "Nope"',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    ],
    ['two anonymous operations', { query: '{ __typename } { __typename }' }, [lone, lone]],
    [
      'two named operations and no operationName',
      { query: 'query A { __typename } query B { __typename }' },
      [several],
    ],
    [
      'two named operations and operationName ""',
      { query: 'query A { __typename } query B { __typename }', operationName: '' },
      [
        {
          message:
            'operationName is empty: send the name of an operation of the document, or leave it out',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    ],
  ] as const) {
    test(`${label}: 400 with a typed error, whoever asks`, async () => {
      for (const token of [null, stack.internalToken]) {
        const executions = stack.executions();
        const res = await post(body, token);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.deepEqual(
          res.body.errors?.map(({ message, extensions }) => ({ message, extensions })),
          errors,
        );
        assert.equal(stack.executions(), executions);
      }
    });
  }

  test('a subscription POSTed without Accept: text/event-stream: 400, not 500', async () => {
    const res = await post(
      { query: 'subscription { promotionStateChanged { cursor } }' },
      stack.internalToken,
    );
    assert.deepEqual(res, {
      status: 400,
      body: {
        errors: [
          {
            message:
              'subscriptions are served over graphql-ws or GraphQL over SSE (Accept: text/event-stream)',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    });
  });

  test('bad variables: 400 BAD_USER_INPUT before any step or subgraph', async () => {
    const executions = stack.executions();
    const res = await post(
      { query: 'query($id: ID!) { promotion(id: $id) { id } }', variables: { id: { a: 1 } } },
      stack.internalToken,
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(stack.executions(), executions);
  });

  test('a variable holding a lone UTF-16 surrogate: 400 BAD_USER_INPUT, no subgraph asked', async () => {
    const executions = stack.executions();
    const res = await post(
      { query: 'query($v: ID!) { vendor(id: $v) { id } }', variables: { v: '\ud800' } },
      stack.internalToken,
    );
    assert.deepEqual(res, {
      status: 400,
      body: {
        errors: [
          {
            message: 'variables hold a string that is not well-formed Unicode (a lone surrogate)',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    });
    assert.equal(stack.executions(), executions);
  });

  test('a fragment bomb (each fragment spreads the next twice, 40 levels) is refused at once', async () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Promotion { id name }`
        : `fragment F${i} on Promotion { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const query = `query { promotions(first: 1) { edges { node { ...F0 } } } }\n${fragments}`;
    // Anonymous: refused for authentication; internal: admitted (the expansion merges into two
    // fields). Either way the walk costs the text, not its 2^40 expansion.
    const anonymous = await post({ query }, null);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.deepEqual(anonymous.body.errors?.[0]?.extensions?.unauthorizedPaths, ['promotions']);
  });

  test('every execution ran an admitted operation that passed every step', () => {
    const executed = stack.executed();
    assert.ok(executed.length > 0);
    for (const record of executed) {
      assert.deepEqual(
        { ...record, principal: undefined, operationType: undefined },
        {
          admitted: true,
          passed: ['trusted-documents', 'operation-limits', 'authorize', 'canonical-input'],
          sameOperation: true,
          principal: undefined,
          operationType: undefined,
        },
      );
    }
  });
});
