import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { createPrincipalSigner } from '../../../gateway/forward-principal.ts';
import {
  createPrincipalVerifier,
  createServicePrincipalSigner,
} from '../../../subgraphs/shared/forwarded-principal.ts';
import {
  PRINCIPAL_AUDIENCE,
  PRINCIPAL_ISSUER,
  PRINCIPAL_LIFETIME_SECONDS,
  PRINCIPAL_MAX_LIFETIME_SECONDS,
} from '../../../contracts/protocol/principal-token.ts';

const CURRENT = 'current-principal-secret-0123456789abcdef';
const PREVIOUS = 'previous-principal-secret-0123456789abcdef';

describe('the principal the gateway signs is the one the subgraphs read', () => {
  const verify = createPrincipalVerifier({ secrets: [CURRENT, PREVIOUS] });

  test('every field round-trips', () => {
    const sign = createPrincipalSigner({ secret: CURRENT });
    const partner = {
      subject: 'acme-int',
      tokenClass: 'partner',
      scopes: ['promotion:read', 'promotion:write'],
      partnerId: 'acme',
      vendorId: 'V100001',
      clientId: 'acme-app',
    };
    assert.deepEqual(verify(sign(partner)), partner);
    const app = { subject: 'web', tokenClass: 'channel-app', scopes: [], channel: 'ECOMMERCE' };
    assert.deepEqual(verify(sign(app)), app);
    assert.deepEqual(verify(sign(undefined)), {
      subject: 'anonymous',
      tokenClass: 'anonymous',
      scopes: [],
    });
  });

  test('rotation: a token signed with the previous secret is still accepted', () => {
    const old = createPrincipalSigner({ secret: PREVIOUS });
    const principal = { subject: 'ops', tokenClass: 'internal', scopes: ['promotion:read'] };
    assert.deepEqual(verify(old(principal)), principal);
    const other = createPrincipalSigner({ secret: 'some-other-secret-0123456789abcdefghij' });
    assert.throws(
      () => verify(other(principal)),
      (error: Error & { extensions?: { code?: string } }) =>
        error.extensions?.code === 'UNAUTHENTICATED' &&
        error.message === 'invalid gateway principal: signature',
    );
  });

  test('one token per principal while it is fresh, a new one after half its life', () => {
    let now = Date.parse('2026-11-23T12:00:00Z');
    const sign = createPrincipalSigner({ secret: CURRENT, ttlSeconds: 120, clock: () => now });
    const principal = { subject: 'ops', tokenClass: 'internal', scopes: [] };
    const first = sign(principal);
    now += 59_000;
    assert.equal(sign(principal), first);
    now += 2_000;
    assert.notEqual(sign(principal), first);
  });

  test('a subgraph signs its own service principal the same way', () => {
    const service = createServicePrincipalSigner({ secret: CURRENT, subject: 'readiness-gate' });
    assert.deepEqual(verify(service()), {
      subject: 'readiness-gate',
      tokenClass: 'service',
      scopes: [],
    });
  });

  test('secrets shorter than 32 characters are refused on both sides', () => {
    assert.throws(() => createPrincipalSigner({ secret: 'short' }), /at least 32 characters/);
    assert.throws(() => createPrincipalVerifier({ secrets: ['short'] }), /at least 32 characters/);
  });
});

describe('the forwarded principal must be short-lived, and a refusal names no expected value', () => {
  const verify = createPrincipalVerifier({ secrets: [CURRENT] });
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, secret = CURRENT) =>
    jwt.sign(
      {
        sub: 'mallory',
        cls: 'internal',
        scp: ['promotion:read'],
        iss: PRINCIPAL_ISSUER,
        aud: PRINCIPAL_AUDIENCE,
        ...claims,
      },
      secret,
      // jsonwebtoken keeps a given `iat` and, with noTimestamp, deletes it: tokens without one.
      { algorithm: 'HS256', noTimestamp: !('iat' in claims) },
    );
  const refusal = (message: string) => (error: Error & { extensions?: { code?: string } }) => {
    assert.equal(error.message, message);
    assert.equal(error.extensions?.code, 'UNAUTHENTICATED');
    return true;
  };

  test('the maximum lifetime is 300 s, one constant (the gateway signs 120 s tokens)', () => {
    assert.equal(PRINCIPAL_MAX_LIFETIME_SECONDS, 300);
    const lifetimeOf = (token: string) => {
      const { iat, exp } = jwt.decode(token) as { iat: number; exp: number };
      return exp - iat;
    };
    const principal = { subject: 'ops', tokenClass: 'internal', scopes: [] };
    const gateway = lifetimeOf(createPrincipalSigner({ secret: CURRENT })(principal));
    const service = lifetimeOf(createServicePrincipalSigner({ secret: CURRENT, subject: 's' })());
    assert.deepEqual([gateway, service], [PRINCIPAL_LIFETIME_SECONDS, PRINCIPAL_LIFETIME_SECONDS]);
    assert.equal(PRINCIPAL_LIFETIME_SECONDS, 120);
  });

  test('without exp: refused (lifetime)', () => {
    assert.throws(
      () => verify(sign({ iat: now() })),
      refusal('invalid gateway principal: lifetime'),
    );
  });

  test('valid for years: refused (lifetime), whatever iat says', () => {
    const years = now() + 5 * 365 * 86_400;
    assert.throws(
      () => verify(sign({ iat: now(), exp: years })),
      refusal('invalid gateway principal: lifetime'),
    );
    assert.throws(
      () => verify(sign({ iat: now() - 86_400, exp: years })),
      refusal('invalid gateway principal: lifetime'),
    );
  });

  test('exp - iat above the maximum: refused even when exp is near', () => {
    assert.throws(
      () => verify(sign({ iat: now() - 3600, exp: now() + 60 })),
      refusal('invalid gateway principal: lifetime'),
    );
    assert.throws(
      () => verify(sign({ iat: now() - 1, exp: now() + PRINCIPAL_MAX_LIFETIME_SECONDS })),
      refusal('invalid gateway principal: lifetime'),
    );
  });

  test('issued in the future: refused (premature)', () => {
    assert.throws(
      () => verify(sign({ iat: now() + 120, exp: now() + 180 })),
      refusal('invalid gateway principal: premature'),
    );
  });

  test('exactly the maximum is accepted; so is what the gateway and the service signer sign', () => {
    const t = now();
    assert.deepEqual(verify(sign({ iat: t, exp: t + PRINCIPAL_MAX_LIFETIME_SECONDS })), {
      subject: 'mallory',
      tokenClass: 'internal',
      scopes: ['promotion:read'],
    });
    const principal = { subject: 'ops', tokenClass: 'internal', scopes: ['promotion:read'] };
    assert.deepEqual(verify(createPrincipalSigner({ secret: CURRENT })(principal)), principal);
    const service = createServicePrincipalSigner({ secret: CURRENT, subject: 's', scopes: ['a'] });
    assert.deepEqual(verify(service()), { subject: 's', tokenClass: 'service', scopes: ['a'] });
  });

  test('without iat: refused (lifetime)', () => {
    assert.throws(
      () => verify(sign({ exp: now() + 60 })),
      refusal('invalid gateway principal: lifetime'),
    );
  });

  test('each refusal says one reason word, never the expected issuer, audience or a secret', () => {
    const t = now();
    const cases: [string | undefined, string][] = [
      [undefined, 'missing'],
      ['not-a-jwt', 'malformed'],
      [sign({ iat: t, exp: t + 60 }, 'another-secret-0123456789abcdefghijkl'), 'signature'],
      [sign({ iat: t - 120, exp: t - 60 }), 'expired'],
      [sign({ iat: t, exp: t + 60, aud: 'elsewhere' }), 'audience'],
      [sign({ iat: t, exp: t + 60, iss: 'mallory' }), 'issuer'],
      [sign({ iat: t, exp: t + 60, cls: 'partner' }), 'claims'],
      [
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', cls: 'internal', scp: [], exp: t + 60 })).toString('base64url')}.`,
        'signature',
      ],
    ];
    for (const [token, reason] of cases) {
      assert.throws(() => verify(token), refusal(`invalid gateway principal: ${reason}`), reason);
    }
  });
});
