import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import {
  DEFAULT_OPERATIONS_POLICY,
  type OperationsPolicy,
} from '../../../../policies/operations-policy.ts';
import { REFUSED_DOCUMENT_STANDIN } from '../../../../gateway/limits/refuse-before-parsing.ts';
import { createCostOf, operationLimitsStep } from '../../../../gateway/plugins/operation-limits.ts';
import { requestPipelinePlugin } from '../../../../gateway/plugins/request-pipeline.ts';
import { trustedDocumentsStep } from '../../../../gateway/plugins/trusted-documents.ts';
import {
  resolveOperation,
  type ResolvedOperation,
} from '../../../../gateway/pipeline/resolved-operation.ts';
import type { GatewayContext } from '../../../../gateway/principal.ts';
import { documentHash } from '../../../../gateway/trusted-document-manifest.ts';

/** The two steps on a plain Apollo Server: what is parsed, validated and executed. */
const TYPE_DEFS =
  'type Query { n: Int, node: Node, nodes(first: Int = 5): [Node!]! } type Node { id: ID, next: Node }';
const TRUSTED = '{ n }';
const policy: OperationsPolicy = {
  ...DEFAULT_OPERATIONS_POLICY,
  limits: {
    anonymous: { tokens: 20, depth: 3, aliases: 2, rootFields: 3, directives: 2, cost: 30 },
    tokenClasses: {},
  },
  trustedDocuments: {
    requiredFor: { tokenClasses: ['partner'], anonymous: false },
    apq: { tokenClasses: [], anonymous: false },
  },
};
const seen = { sources: [] as string[], parsed: 0, validated: 0, executed: 0 };
const spy: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveSource({ source }) {
        seen.sources.push(source);
      },
      async parsingDidStart() {
        seen.parsed += 1;
      },
      async validationDidStart() {
        seen.validated += 1;
      },
      async executionDidStart() {
        seen.executed += 1;
      },
    };
  },
};
const server = new ApolloServer<GatewayContext>({
  typeDefs: TYPE_DEFS,
  resolvers: { Query: { n: () => 1 } },
  includeStacktraceInErrorResponses: false,
  plugins: [
    requestPipelinePlugin({
      steps: () => [
        trustedDocumentsStep({
          manifest: new Map([[documentHash(TRUSTED), TRUSTED]]),
          policy: () => policy,
        }),
        operationLimitsStep({ policy: () => policy }),
      ],
    }),
    spy,
  ],
});
before(() => server.start());
after(() => server.stop());

async function run(
  query: string | undefined,
  extra: Record<string, unknown> = {},
  tokenClass?: string,
) {
  seen.sources = [];
  seen.executed = 0;
  const contextValue: GatewayContext = tokenClass
    ? { principal: { subject: 's', tokenClass, scopes: [] } }
    : {};
  const response = await server.executeOperation(
    { ...(query === undefined ? {} : { query }), ...extra },
    { contextValue },
  );
  assert.equal(response.body.kind, 'single');
  return {
    status: response.http.status,
    result: response.body.kind === 'single' ? response.body.singleResult : undefined,
  };
}

describe('operationLimitsStep on Apollo Server', () => {
  test('a token flood is never parsed: only the stand-in document is', async () => {
    const flood = `{ ${'n '.repeat(100_000)}}`;
    const { status, result } = await run(flood);
    assert.equal(status, 400);
    assert.deepEqual(result?.errors?.[0]?.extensions, {
      code: 'OPERATION_LIMIT_EXCEEDED',
      limitName: 'tokens',
      measured: 21,
      limit: 20,
    });
    assert.deepEqual(seen.sources, [REFUSED_DOCUMENT_STANDIN]);
    assert.equal(seen.executed, 0);
  });

  test('depth is measured after validation, before execution', async () => {
    const { status, result } = await run('{ node { next { next { id } } } }');
    assert.equal(status, 400);
    assert.equal(result?.errors?.[0]?.message, 'operation depth 4 exceeds the limit of 3');
    assert.equal(seen.executed, 0);
  });

  test('an operation within the limits runs', async () => {
    const { result } = await run('{ n node { id } }');
    assert.deepEqual({ ...result?.data }, { n: 1, node: null });
    assert.equal(seen.executed, 1);
  });

  test('createCostOf gives the throttle the cost the limits step checks', () => {
    const source = '{ nodes(first: 7) { id next { id } } }';
    const resolved = resolveOperation({
      schema: buildSchema(TYPE_DEFS),
      source,
      document: parse(source),
      operationName: undefined,
      variables: undefined,
      caller: { principal: undefined, address: undefined, transport: 'http' },
    }) as ResolvedOperation;
    const costOf = createCostOf({ policy: () => policy });
    // nodes: no @listSize anywhere: the default listSize 10 × (Node 1 + next 1)
    assert.equal(costOf(resolved), 20);
  });
});

describe('trustedDocumentsStep on Apollo Server', () => {
  test('a partner ad-hoc document is refused without being parsed', async () => {
    const { status, result } = await run('{ node { id } }', {}, 'partner');
    assert.equal(status, 403);
    assert.equal(result?.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.deepEqual(seen.sources, [REFUSED_DOCUMENT_STANDIN]);
  });

  test('documentId from the HTTP body resolves to the manifest text', async () => {
    const http = {
      method: 'POST',
      headers: new HeaderMap(),
      search: '',
      body: { documentId: `sha256:${documentHash(TRUSTED)}` },
    };
    const { result } = await run(undefined, { http }, 'partner');
    assert.deepEqual({ ...result?.data }, { n: 1 });
    assert.deepEqual(seen.sources, [TRUSTED]);
  });

  test('a malformed documentId: 400 BAD_REQUEST', async () => {
    const http = {
      method: 'POST',
      headers: new HeaderMap(),
      search: '',
      body: { documentId: 'x' },
    };
    const { status, result } = await run(undefined, { http });
    assert.equal(status, 400);
    assert.deepEqual(result?.errors?.[0], {
      message: 'documentId must be "sha256:<64 hex digits>"',
      extensions: { code: 'BAD_REQUEST' },
    });
  });
});
