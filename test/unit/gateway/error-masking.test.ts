import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GraphQLError } from 'graphql';
import { errorMaskingFormatter } from '../../../gateway/plugins/error-masking.ts';

/** Formats `error` the way Apollo Server does before calling formatError (code defaulted). */
function format(error: GraphQLError) {
  const logged: unknown[] = [];
  const formatter = errorMaskingFormatter({ log: (_m, e) => logged.push(e) });
  const { http: _http, ...extensions } = error.extensions;
  const formatted = formatter(
    {
      message: error.message,
      extensions: { ...extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' },
    },
    error,
  );
  return { formatted, logged: logged.length };
}

describe('errorMaskingFormatter', () => {
  test('an APQ protocol error (4xx status, no code) is BAD_REQUEST, not logged', () => {
    for (const message of [
      'Unsupported persisted query version',
      'provided sha does not match query',
    ]) {
      const error = new GraphQLError(message, { extensions: { http: { status: 400 } } });
      assert.deepEqual(format(error), {
        formatted: { message, extensions: { code: 'BAD_REQUEST' } },
        logged: 0,
      });
    }
  });

  test('an error without code or status is still masked and logged', () => {
    assert.deepEqual(format(new GraphQLError('db password is hunter2')), {
      formatted: {
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
      logged: 1,
    });
    const serverFault = new GraphQLError('boom', { extensions: { http: { status: 503 } } });
    assert.equal(format(serverFault).formatted.extensions?.code, 'INTERNAL_SERVER_ERROR');
  });

  test('a subgraph input refusal passes as BAD_USER_INPUT; a failed subgraph answer stays masked', () => {
    const refusal = new GraphQLError('DateTime "x" is not valid', {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
    assert.deepEqual(format(refusal), {
      formatted: { message: 'DateTime "x" is not valid', extensions: { code: 'BAD_USER_INPUT' } },
      logged: 0,
    });
    const failed = new GraphQLError('500: ', {
      extensions: { response: { url: 'http://127.0.0.1:4001/graphql', status: 500, body: 'x' } },
    });
    assert.deepEqual(format(failed), {
      formatted: {
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
      logged: 1,
    });
  });
});
