import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PrincipalForwardingDataSource } from '../../../../gateway/forward-principal.ts';
import { withoutSuggestions } from '../../../../gateway/validation/schema-suggestions.ts';
import {
  subgraphFieldErrors,
  subgraphInputError,
} from '../../../../gateway/validation/subgraph-input-errors.ts';
import { SubgraphResponse } from '../../../../gateway/subgraph-response.ts';

const refusal = (code: string, message = 'DateTime "x" is not valid') => ({
  errors: [{ message, locations: [{ line: 1, column: 9 }], extensions: { code } }],
});

describe('subgraph errors that are the caller’s mistake', () => {
  test('a 400 of client mistakes is one BAD_USER_INPUT (HTTP 400) without the subgraph’s answer', () => {
    const error = subgraphInputError(400, {
      errors: [
        {
          message: 'Variable "$a" got invalid value "x"; DateTime "x" is not valid',
          extensions: { code: 'BAD_USER_INPUT' },
        },
        {
          message: 'Unknown argument "b". Did you mean "c"?',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    assert.equal(
      error?.message,
      'Variable "$a" got invalid value "x"; DateTime "x" is not valid; Unknown argument "b".',
    );
    assert.deepEqual(error?.extensions, { code: 'BAD_USER_INPUT', http: { status: 400 } });
    assert.equal(error?.locations, undefined);
  });

  test('anything else stays a server fault', () => {
    assert.equal(subgraphInputError(500, refusal('BAD_USER_INPUT')), undefined);
    assert.equal(subgraphInputError(400, refusal('INTERNAL_SERVER_ERROR')), undefined);
    assert.equal(subgraphInputError(400, { errors: [] }), undefined);
    assert.equal(subgraphInputError(400, 'Bad Request'), undefined);
    assert.equal(
      subgraphInputError(400, {
        errors: [...refusal('BAD_USER_INPUT').errors, { message: 'boom' }],
      }),
      undefined,
    );
  });

  test('in a 200: GRAPHQL_VALIDATION_FAILED becomes BAD_USER_INPUT; HTTP 400 only without data', () => {
    const errors = [
      {
        message: 'Expected "x". Did you mean "y"?',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ];
    assert.deepEqual(subgraphFieldErrors(errors, false), [
      { message: 'Expected "x".', extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
    ]);
    assert.deepEqual(subgraphFieldErrors(errors, true), [
      { message: 'Expected "x".', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    const other = [{ message: 'not found', path: ['a'], extensions: { code: 'NOT_FOUND' } }];
    assert.equal(subgraphFieldErrors(other, true)[0], other[0]);
  });

  test('withoutSuggestions drops every suggestion form of graphql-js', () => {
    assert.equal(
      withoutSuggestions('Cannot query field "a" on type "Query". Did you mean "b", "c", or "d"?'),
      'Cannot query field "a" on type "Query".',
    );
    assert.equal(
      withoutSuggestions('Value "X" does not exist in "E" enum. Did you mean the enum value "Y"?'),
      'Value "X" does not exist in "E" enum.',
    );
    assert.equal(
      withoutSuggestions(
        'Cannot query field "a" on type "U". Did you mean to use an inline fragment on "T"?',
      ),
      'Cannot query field "a" on type "U".',
    );
    assert.equal(withoutSuggestions('no suggestion here'), 'no suggestion here');
  });
});

describe('PrincipalForwardingDataSource: subgraph answers', () => {
  const source = (status: number, body: unknown) =>
    new PrincipalForwardingDataSource({
      url: 'http://127.0.0.1:9/graphql',
      sign: () => 'signed',
      fetcher: (async (url: string) =>
        new SubgraphResponse(url, {
          status,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })) as never,
    });
  const process = (ds: PrincipalForwardingDataSource) =>
    ds.process({
      kind: 'HEALTH_CHECK',
      request: {
        query: '{ a }',
        http: { method: 'POST', url: 'http://127.0.0.1:9/graphql', headers: new Map() as never },
      },
      context: {},
    } as never);

  test('a 400 refusing the input is BAD_USER_INPUT, without the URL or the raw body', async () => {
    await assert.rejects(process(source(400, refusal('BAD_USER_INPUT'))), (error: Error) => {
      const { extensions, message } = error as Error & { extensions: Record<string, unknown> };
      assert.equal(message, 'DateTime "x" is not valid');
      assert.deepEqual(extensions, { code: 'BAD_USER_INPUT', http: { status: 400 } });
      return true;
    });
  });

  test('another failed answer keeps @apollo/gateway’s error (masked by error-masking.ts)', async () => {
    await assert.rejects(process(source(500, refusal('INTERNAL_SERVER_ERROR'))), (error: Error) => {
      const { extensions } = error as Error & { extensions: Record<string, unknown> };
      assert.equal((extensions.response as { status: number }).status, 500);
      return true;
    });
  });

  test('a 200 with a validation failure and no data is BAD_USER_INPUT, HTTP 400', async () => {
    const response = await process(
      source(200, refusal('GRAPHQL_VALIDATION_FAILED', 'Bad. Did you mean "b"?')),
    );
    assert.deepEqual(response.errors, [
      {
        message: 'Bad.',
        locations: [{ line: 1, column: 9 }],
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      },
    ]);
  });
});
