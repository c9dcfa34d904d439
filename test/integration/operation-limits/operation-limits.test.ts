import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadAuthPolicy } from '../../../policies/auth-policy.ts';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

/**
 * Abusive operations through the real gateway with the committed policies/operations.yaml
 * (channel-app: tokens 3000, depth 10, aliases 30, rootFields 10, directives 20, cost 2000;
 * anonymous: tokens 1000, depth 6, aliases 5, rootFields 3, directives 5, cost 200). Each is
 * refused with its exact code, measure and limit, and never reaches planning or a subgraph.
 */
const policy = loadOperationsPolicy('policies/operations.yaml', {
  knownTokenClasses: Object.keys(loadAuthPolicy('policies/auth.yaml').tokenClasses),
});
const CHANNEL = devToken({
  scopes: ['promotion:read', 'inventory:read'],
  tokenClass: 'channel-app',
  channel: 'MOBILE',
});

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ operations: () => policy });
});
after(async () => {
  await stack.close();
});

type Refusal = { limitName: string; measured: number | null; limit: number; message: string };

/** Sends the operation and asserts the whole refusal, and that nothing was executed. */
async function refused(
  query: string,
  token: string | null,
  expected: Refusal,
  code = 'OPERATION_LIMIT_EXCEEDED',
): Promise<void> {
  const executions = stack.executions();
  const res = await stack.query(query, undefined, { token });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.deepEqual(res.body, {
    errors: [
      {
        message: expected.message,
        extensions: {
          code,
          limitName: expected.limitName,
          measured: expected.measured,
          limit: expected.limit,
        },
      },
    ],
  });
  assert.equal(stack.executions(), executions, 'no planning, no subgraph call');
}

const repeat = (count: number, text: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => text(i)).join(' ');

describe('operation limits through the gateway', () => {
  test('an operation within the limits runs', async () => {
    const res = await stack.query('{ locations(first: 2) { edges { node { id } } } }', undefined, {
      token: CHANNEL,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.errors, undefined);
  });

  test('alias bomb: 500 aliases of one field', async () => {
    const query = `{ location(id: "L1") { ${repeat(500, (i) => `a${i}: id`)} } }`;
    await refused(query, CHANNEL, {
      limitName: 'aliases',
      measured: 500,
      limit: 30,
      message: 'operation alias count 500 exceeds the limit of 30',
    });
  });

  test('alias bomb behind fragments: 2^9 aliases from a 10-fragment fan-out', async () => {
    const fragments = Array.from({ length: 10 }, (_, i) =>
      i < 9
        ? `fragment F${i} on Location { ...F${i + 1} ...F${i + 1} }`
        : `fragment F${i} on Location { alias: id }`,
    ).join('\n');
    await refused(`{ location(id: "L1") { ...F0 } }\n${fragments}`, CHANNEL, {
      limitName: 'aliases',
      measured: 512,
      limit: 30,
      message: 'operation alias count 512 exceeds the limit of 30',
    });
  });

  test('deep nesting: a 25-level introspection chain', async () => {
    const chain = `${'ofType { '.repeat(20)}name${' }'.repeat(20)}`;
    const query = `{ __schema { types { fields { type { ${chain} } } } } }`;
    await refused(query, CHANNEL, {
      limitName: 'depth',
      measured: 25,
      limit: 10,
      message: 'operation depth 25 exceeds the limit of 10',
    });
    // limits run before authorize: anonymous gets the limit, not a 403 for introspection
    await refused(query, null, {
      limitName: 'depth',
      measured: 25,
      limit: 6,
      message: 'operation depth 25 exceeds the limit of 6',
    });
  });

  test('a 10,000-field query is refused on tokens before it is parsed', async () => {
    const query = `{ location(id: "L1") { ${'id '.repeat(10_000)}} }`;
    await refused(query, CHANNEL, {
      limitName: 'tokens',
      measured: 3001,
      limit: 3000,
      message: 'operation exceeds the token limit of 3000 (counting stopped at 3001)',
    });
  });

  test('token flood: 200,000 punctuators (never parsed)', async () => {
    await refused(`{ ${'!'.repeat(200_000)} }`, null, {
      limitName: 'tokens',
      measured: 1001,
      limit: 1000,
      message: 'operation exceeds the token limit of 1000 (counting stopped at 1001)',
    });
  });

  test('directive flood: 40 @include on 20 fields', async () => {
    const query = `{ location(id: "L1") { ${repeat(20, () => 'id @include(if: true) @skip(if: false)')} } }`;
    await refused(query, CHANNEL, {
      limitName: 'directives',
      measured: 40,
      limit: 20,
      message: 'operation directive count 40 exceeds the limit of 20',
    });
  });

  test('root field fan-out: 11 root fields (11 aliases are within 30)', async () => {
    await refused(`{ ${repeat(11, (i) => `r${i}: __typename`)} }`, CHANNEL, {
      limitName: 'rootFields',
      measured: 11,
      limit: 10,
      message: 'operation root field count 11 exceeds the limit of 10',
    });
  });

  test('cost: a page of 1000 promotions costs 2001 over 2000', async () => {
    await refused('{ promotions(first: 1000) { edges { node { id } } } }', CHANNEL, {
      limitName: 'cost',
      measured: 2001,
      limit: 2000,
      message: 'operation estimated cost 2001 exceeds the limit of 2000',
    });
    const ok = await stack.query(
      '{ promotions(first: 999) { edges { node { id } } } }',
      undefined,
      {
        token: CHANNEL,
      },
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('cost counts the slicing argument sent in a variable', async () => {
    const executions = stack.executions();
    const res = await stack.query(
      'query ($n: Int) { promotions(first: $n) { edges { node { id } } } }',
      { n: 5000 },
      { token: CHANNEL },
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors?.[0]?.extensions, {
      code: 'OPERATION_LIMIT_EXCEEDED',
      limitName: 'cost',
      measured: 10001,
      limit: 2000,
    });
    assert.equal(stack.executions(), executions);
  });

  test('a fragment cycle is refused by validation before any measure (400, no execution)', async () => {
    const executions = stack.executions();
    const res = await stack.query(
      '{ location(id: "L1") { ...A } } fragment A on Location { id ...B } fragment B on Location { name ...A }',
      undefined,
      { token: CHANNEL },
    );
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.errors?.map((e) => e.extensions?.code),
      ['GRAPHQL_VALIDATION_FAILED'],
    );
    assert.equal(
      res.body.errors?.[0]?.message,
      'Cannot spread fragment "A" within itself via "B".',
    );
    assert.equal(stack.executions(), executions);
  });

  test('first: null on a field requiring one slicing argument is BAD_USER_INPUT', async () => {
    const executions = stack.executions();
    const res = await stack.query(
      '{ promotions(first: null) { edges { node { id } } } }',
      undefined,
      {
        token: CHANNEL,
      },
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      errors: [
        {
          message: 'Query.promotions needs exactly one of its slicing arguments (first), got 0',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    assert.equal(stack.executions(), executions);
  });
});
