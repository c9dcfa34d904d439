import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPrincipalSigner } from '../../../gateway/forward-principal.ts';
import {
  createPrincipalVerifier,
  createServicePrincipalSigner,
} from '../../../subgraphs/shared/forwarded-principal.ts';

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
        error.extensions?.code === 'UNAUTHENTICATED' && /bad signature/.test(error.message),
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
