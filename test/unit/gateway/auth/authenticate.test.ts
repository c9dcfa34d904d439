import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createFileKeyStore, type KeyStore } from '../../../../gateway/auth/jwks-key-store.ts';
import { KeysUnavailableError } from '../../../../gateway/auth/token-rejection.ts';
import {
  createAuthenticator,
  type AuthenticateOptions,
} from '../../../../gateway/plugins/authenticate.ts';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';
import { claims, craft, rs256 } from '../../../helpers/tokens.ts';

const policy = loadAuthPolicy('policies/auth.yaml');
const keys = createFileKeyStore('policies/dev-keys/jwks.json');
const SECRET = 'a-development-secret-of-32-bytes!';
const headers = (authorization?: string) =>
  new HeaderMap(authorization === undefined ? [] : [['authorization', authorization]]);
const hs256 = () => craft({ alg: 'HS256' }, claims(), { alg: 'HS256', secret: SECRET });

function authenticator(options: Partial<AuthenticateOptions> = {}, warnings: string[] = []) {
  return createAuthenticator({ policy, keys, warn: (m) => warnings.push(m), ...options });
}

describe('createAuthenticator', () => {
  test('no Authorization header: anonymous context', async () => {
    assert.deepEqual(await authenticator()(headers()), {});
  });

  test('a valid token: the principal on the context (scheme case-insensitive)', async () => {
    assert.deepEqual(await authenticator()(headers(`bearer ${rs256()}`)), {
      principal: { subject: 'user-1', tokenClass: 'internal', scopes: ['promotion:read'] },
    });
  });

  test('a refused token: a GraphQLError carrying 401 and WWW-Authenticate', async () => {
    const error = await authenticator()(headers('Bearer x.y.z')).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GraphQLError);
    assert.equal(error.message, 'invalid token: malformed');
    const { code, http } = error.extensions as {
      code: string;
      http: { status: number; headers: HeaderMap };
    };
    assert.equal(code, 'UNAUTHENTICATED');
    assert.equal(http.status, 401);
    assert.deepEqual([...http.headers], [['www-authenticate', 'Bearer error="invalid_token"']]);
  });

  test('verification keys unavailable: 503 BACKEND_UNAVAILABLE', async () => {
    const down: KeyStore = {
      key: async () => {
        throw new KeysUnavailableError('HTTP 500');
      },
    };
    await assert.rejects(authenticator({ keys: down })(headers(`Bearer ${rs256()}`)), {
      message: 'authentication keys are unavailable',
      extensions: { code: 'BACKEND_UNAVAILABLE', http: { status: 503 } },
    });
  });

  test('an unexpected failure is not turned into a 401', async () => {
    const broken: KeyStore = {
      key: async () => {
        throw new TypeError('bug');
      },
    };
    await assert.rejects(authenticator({ keys: broken })(headers(`Bearer ${rs256()}`)), {
      name: 'TypeError',
      message: 'bug',
    });
  });

  test('HS256 stays refused when the policy does not allow it, secret or not', async () => {
    await assert.rejects(authenticator({ hs256Secret: SECRET })(headers(`Bearer ${hs256()}`)), {
      message: 'invalid token: algorithm',
    });
  });

  test('HS256 with allowHs256ForDevelopment, in development, with the dedicated secret', async () => {
    const warnings: string[] = [];
    const dev = authenticator(
      {
        policy: { ...policy, allowHs256ForDevelopment: true },
        hs256Secret: SECRET,
        environment: 'development',
      },
      warnings,
    );
    assert.equal((await dev(headers(`Bearer ${hs256()}`))).principal?.subject, 'user-1');
    assert.deepEqual(warnings, ['[gateway] HS256 tokens accepted (development only)']);
  });

  test('refuses to start with HS256 allowed in production or without a proper secret', () => {
    const hsPolicy = { ...policy, allowHs256ForDevelopment: true };
    assert.throws(() => authenticator({ policy: hsPolicy, hs256Secret: SECRET }), {
      message: 'the auth policy allows HS256 for development, but NODE_ENV is production',
    });
    const needsSecret =
      'the auth policy allows HS256 for development: set AUTH_HS256_SECRET (at least 32 bytes)';
    assert.throws(() => authenticator({ policy: hsPolicy, environment: 'development' }), {
      message: needsSecret,
    });
    assert.throws(
      () => authenticator({ policy: hsPolicy, environment: 'development', hs256Secret: 'short' }),
      { message: needsSecret },
    );
  });

  test('AUTH_DISABLED: warns loudly, ignores every header, all anonymous', async () => {
    const warnings: string[] = [];
    const off = authenticator({ disabled: true }, warnings);
    assert.deepEqual(await off(headers('Bearer garbage')), {});
    assert.deepEqual(await off(headers(`Bearer ${rs256()}`)), {});
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /AUTH_DISABLED is set: tokens are IGNORED/);
  });

  test('AUTH_DISABLED with a principal: every request acts as it, whatever it sends', async () => {
    const warnings: string[] = [];
    const principal = { subject: 'bench', tokenClass: 'internal', scopes: ['promotion:read'] };
    const off = authenticator({ disabled: true, disabledPrincipal: principal }, warnings);
    assert.deepEqual(await off(headers('Bearer garbage')), { principal });
    assert.deepEqual(await off(headers(undefined)), { principal });
    assert.match(warnings[0]!, /every request acts as internal bench/);
    // One context per request: steps keep per-request state on it (the resolved operation).
    assert.notEqual(await off(headers(undefined)), await off(headers(undefined)));
  });
});
