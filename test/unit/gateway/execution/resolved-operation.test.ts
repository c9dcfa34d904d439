import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, parse, type OperationDefinitionNode } from 'graphql';
import {
  createApolloExecutor,
  createFastExecutor,
} from '../../../../gateway/execution/fast-executor.ts';
import { composeExecutionSupergraph } from './execution-federation.fixture.ts';

/**
 * The executor runs `rc.operation`, the operation Apollo Server resolved and its plugins checked,
 * never one re-derived from `request.operationName`; without one it refuses (BAD_REQUEST) and no
 * subgraph is called. Executors are called directly, with data sources that record each call.
 */
type Call = { service: string; query: string; operationName: string | undefined };

const URLS = Object.fromEntries(
  ['accounts', 'reviews', 'products', 'inventory', 'ratings'].map((name) => [
    name,
    `http://${name}.invalid/graphql`,
  ]),
);

function answerOf(query: string): Record<string, unknown> {
  if (query.includes('touch')) return { touch: 1 };
  if (query.includes('me')) return { me: { id: '1', name: 'Ada' } };
  return {};
}

function requestContext(
  query: string,
  operationName: string | undefined,
  operation: OperationDefinitionNode | undefined,
): GatewayGraphQLRequestContext {
  return {
    request: { query, ...(operationName === undefined ? {} : { operationName }) },
    document: parse(query),
    queryHash: createHash('sha256').update(query).digest('hex'),
    source: query,
    operation,
    operationName: operation?.name?.value ?? null,
    context: {},
    metrics: {},
    response: { http: { headers: new Headers() } },
  } as unknown as GatewayGraphQLRequestContext;
}

/** What Apollo Server resolves for `operationName` (graphql-js getOperationAST). */
function resolved(query: string, operationName: string | undefined) {
  return getOperationAST(parse(query), operationName) ?? undefined;
}

describe('executors run the resolved operation only', () => {
  const calls: Call[] = [];
  let gateway: ApolloGateway;
  let executors: [string, ApolloGateway['executor']][];

  before(async () => {
    gateway = new ApolloGateway({
      supergraphSdl: composeExecutionSupergraph(URLS),
      buildService: ({ name }): GraphQLDataSource => ({
        async process({ request }) {
          calls.push({
            service: name,
            query: request.query!,
            operationName: request.operationName,
          });
          return { data: answerOf(request.query!) };
        },
      }),
    });
    const apollo = gateway.executor;
    executors = [
      ['fast', createFastExecutor(gateway, apollo)],
      ['apollo', createApolloExecutor(apollo)],
    ];
    await gateway.load();
  });
  after(async () => {
    await gateway?.stop();
  });

  const NO_OPERATION = {
    errors: [
      {
        message: 'the request names no operation of the document',
        extensions: { code: 'BAD_REQUEST' },
      },
    ],
  };
  const plain = (result: Awaited<ReturnType<ApolloGateway['executor']>>) =>
    JSON.parse(JSON.stringify(result)) as unknown;

  for (const [query, label] of [
    ['mutation { touch }', 'an anonymous mutation'],
    ['mutation Touch { touch }', 'a named mutation'],
    ['{ me { id } }', 'an anonymous query'],
    ['query { me { name @include(if: true) } }', 'a query the fast path hands to Apollo'],
  ] as const) {
    test(`${label} sent with operationName "" reaches no subgraph`, async () => {
      assert.equal(resolved(query, ''), undefined);
      for (const [name, execute] of executors) {
        calls.length = 0;
        const result = await execute(requestContext(query, '', resolved(query, '')));
        assert.deepEqual(plain(result), NO_OPERATION, name);
        assert.deepEqual(calls, [], name);
      }
    });
  }

  test('a request naming an unknown operation reaches no subgraph', async () => {
    const query = 'mutation { touch }';
    for (const [name, execute] of executors) {
      calls.length = 0;
      const result = await execute(requestContext(query, 'Other', resolved(query, 'Other')));
      assert.deepEqual(plain(result), NO_OPERATION, name);
      assert.deepEqual(calls, [], name);
    }
  });

  test('the resolved operation runs, not the one request.operationName names', async () => {
    // Two operations; the pipeline resolved Read (a query), the request object says Write.
    for (const query of [
      'query Read { me { id } } mutation Write { touch }',
      'query Read { me { id @include(if: true) } } mutation Write { touch }',
    ]) {
      const read = resolved(query, 'Read');
      for (const [name, execute] of executors) {
        calls.length = 0;
        const result = await execute(requestContext(query, 'Write', read));
        assert.deepEqual(plain(result), { data: { me: { id: '1' } } }, `${name}: ${query}`);
        assert.deepEqual(
          calls.map((c) => c.service),
          ['accounts'],
        );
        assert.match(calls[0]!.query, /^query Read__accounts__0 ?\{ ?me ?\{ ?id/);
      }
    }
  });

  test('an anonymous operation and a named one run when resolved', async () => {
    for (const [query, operationName, data] of [
      ['mutation { touch }', undefined, { touch: 1 }],
      ['mutation Touch { touch }', undefined, { touch: 1 }],
      ['mutation Touch { touch }', 'Touch', { touch: 1 }],
      ['{ me { id } }', undefined, { me: { id: '1' } }],
    ] as const) {
      for (const [name, execute] of executors) {
        calls.length = 0;
        const rc = requestContext(query, operationName, resolved(query, operationName));
        assert.deepEqual(plain(await execute(rc)), { data }, `${name}: ${query}`);
        assert.equal(calls.length, 1);
      }
    }
  });
});
