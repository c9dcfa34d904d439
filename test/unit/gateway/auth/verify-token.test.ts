import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { createFileKeyStore, type KeyStore } from '../../../../gateway/auth/jwks-key-store.ts';
import { KeysUnavailableError } from '../../../../gateway/auth/token-rejection.ts';
import { verifyToken, type VerifyTokenOptions } from '../../../../gateway/auth/verify-token.ts';
import { AUDIENCE, claims, craft, DEV_EC, DEV_RSA, ISSUER } from '../../../helpers/tokens.ts';

const NOW = 1_800_000_000;
const fileKeys = createFileKeyStore('policies/dev-keys/jwks.json');
const lookups: string[] = [];
const keys: KeyStore = {
  async key(kid) {
    lookups.push(kid);
    return fileKeys.key(kid);
  },
};
const policy = {
  issuer: ISSUER,
  audiences: ['other-api', AUDIENCE],
  algorithms: ['RS256', 'ES256'] as ('RS256' | 'ES256')[],
  clockSkewSeconds: 30,
  maxTokenBytes: 2048,
};
const options: VerifyTokenOptions = { policy, keys, now: () => NOW * 1000 };
const SECRET = 'a-development-secret-of-32-bytes!';

const rs = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  craft({ alg: 'RS256', kid: 'dev-rsa-1', ...header }, claims(overrides, NOW), {
    alg: 'RS256',
    key: DEV_RSA,
  });
const hs = (secret: string, header: Record<string, unknown> = {}) =>
  craft({ alg: 'HS256', ...header }, claims({}, NOW), { alg: 'HS256', secret });

async function refused(token: string, reason: string, with_: VerifyTokenOptions = options) {
  await assert.rejects(verifyToken(token, with_), {
    name: 'TokenRejectedError',
    message: `invalid token: ${reason}`,
    reason,
  });
}

describe('verifyToken', () => {
  test('returns the claims of a valid RS256 and ES256 token', async () => {
    assert.deepEqual(await verifyToken(rs(), options), claims({}, NOW));
    const es = craft({ alg: 'ES256', kid: 'dev-ec-1' }, claims({ sub: 'e' }, NOW), {
      alg: 'ES256',
      key: DEV_EC,
    });
    assert.equal((await verifyToken(es, options)).sub, 'e');
  });

  test('accepts an aud list holding one of the policy audiences', async () => {
    const verified = await verifyToken(rs({ aud: ['x', AUDIENCE] }), options);
    assert.deepEqual(verified.aud, ['x', AUDIENCE]);
  });

  test('applies the clock skew to exp, nbf and iat, exactly', async () => {
    await verifyToken(rs({ exp: NOW - 29 }), options);
    await refused(rs({ exp: NOW - 30 }), 'expired');
    await verifyToken(rs({ nbf: NOW + 30, iat: NOW + 30 }), options);
    await refused(rs({ nbf: NOW + 31 }), 'not yet valid');
    await refused(rs({ iat: NOW + 31 }), 'not yet valid');
    await refused(rs({ iat: 'yesterday' }), 'claims');
    await refused(rs({ nbf: 'soon' }), 'claims');
  });

  test('refuses a token one byte over maxTokenBytes, before anything else', async () => {
    const token = rs({ pad: '' });
    const padded = rs({ pad: 'x'.repeat(policy.maxTokenBytes - token.length) });
    const limit = { ...options, policy: { ...policy, maxTokenBytes: padded.length } };
    await verifyToken(padded, limit);
    await refused(`${padded}x`, 'too large', limit);
  });

  test('checks the algorithm and kid before any key lookup', async () => {
    lookups.length = 0;
    await refused(
      craft({ alg: 'none', kid: 'dev-rsa-1' }, claims({}, NOW), { alg: 'none' }),
      'algorithm',
    );
    await refused(hs(SECRET, { kid: 'dev-rsa-1' }), 'algorithm');
    await refused(rs({}, { alg: 'RS384' }), 'algorithm');
    await refused(rs({}, { alg: 42 }), 'algorithm');
    await refused(rs({}, { kid: undefined }), 'key');
    await refused(rs({}, { kid: '' }), 'key');
    assert.deepEqual(lookups, []);
    await refused(rs({}, { kid: 'dev-rsa-2' }), 'key');
    assert.deepEqual(lookups, ['dev-rsa-2']);
  });

  test("refuses a typ other than a JWT's, before any key lookup", async () => {
    lookups.length = 0;
    await refused(rs({}, { typ: 'JWE' }), 'malformed');
    await refused(rs({}, { typ: 'dpop+jwt' }), 'malformed');
    await refused(rs({}, { typ: 42 }), 'malformed');
    assert.deepEqual(lookups, []);
    for (const typ of ['JWT', 'jwt', 'at+jwt', 'application/at+JWT', undefined]) {
      assert.equal((await verifyToken(rs({}, { typ }), options)).sub, 'user-1', String(typ));
    }
  });

  test('refuses a JWKS key of another type than the token alg', async () => {
    await refused(rs({}, { kid: 'dev-ec-1' }), 'algorithm');
  });

  test('HS256 only when enabled, and then only with the dedicated secret', async () => {
    const withHs = { ...options, hs256Secret: SECRET };
    assert.equal((await verifyToken(hs(SECRET), withHs)).sub, 'user-1');
    await verifyToken(rs(), withHs);
    const publicPem = createPublicKey(DEV_RSA).export({ format: 'pem', type: 'spki' }).toString();
    await refused(hs(publicPem, { kid: 'dev-rsa-1' }), 'signature', withHs);
    await refused(hs('another-secret-another-secret-123'), 'signature', withHs);
    await refused(
      craft({ alg: 'HS512' }, claims({}, NOW), { alg: 'HS512', secret: SECRET }),
      'algorithm',
      withHs,
    );
    await refused(hs(SECRET), 'algorithm');
  });

  test('lets KeysUnavailableError through (the gateway answers 503)', async () => {
    const down: KeyStore = {
      key: async () => {
        throw new KeysUnavailableError('HTTP 500');
      },
    };
    await assert.rejects(verifyToken(rs(), { ...options, keys: down }), {
      name: 'KeysUnavailableError',
      message: 'verification keys are unavailable: HTTP 500',
    });
  });

  test('reports the signature before time, audience and issuer', async () => {
    const [header, , signature] = rs().split('.');
    const payload = Buffer.from(
      JSON.stringify(claims({ exp: NOW - 999, aud: 'x', iss: 'y' }, NOW)),
    ).toString('base64url');
    await refused(`${header}.${payload}.${signature}`, 'signature');
    await refused(rs({ exp: NOW - 999, aud: 'x', iss: 'y' }), 'expired');
    await refused(rs({ aud: 'x', iss: 'y' }), 'audience');
  });
});
