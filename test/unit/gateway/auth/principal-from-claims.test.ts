import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { principalFromClaims } from '../../../../gateway/auth/principal-from-claims.ts';
import type { VerifiedClaims } from '../../../../gateway/auth/verify-token.ts';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';

const { tokenClasses } = loadAuthPolicy('policies/auth.yaml');
const base = { sub: 'u1', exp: 2_000_000_000, iss: 'i', aud: 'a' };
const map = (claims: Record<string, unknown>) =>
  principalFromClaims({ ...base, ...claims } as VerifiedClaims, tokenClasses);

describe('principalFromClaims', () => {
  test('internal token: space-separated scope, client id from azp', () => {
    assert.deepEqual(map({ token_class: 'internal', scope: ' a:read  b:write ', azp: 'tool' }), {
      subject: 'u1',
      tokenClass: 'internal',
      scopes: ['a:read', 'b:write'],
      clientId: 'tool',
    });
  });

  test('channel-app token: channel, scp list, client_id', () => {
    assert.deepEqual(
      map({
        token_class: 'channel-app',
        channel: 'POS',
        scp: ['pricing:read'],
        client_id: 'pos-7',
      }),
      {
        subject: 'u1',
        tokenClass: 'channel-app',
        scopes: ['pricing:read'],
        channel: 'POS',
        clientId: 'pos-7',
      },
    );
  });

  test('partner token: partner and vendor; no scope claim means no scopes', () => {
    assert.deepEqual(map({ token_class: 'partner', partner_id: 'acme', vendor_id: 'V0001' }), {
      subject: 'u1',
      tokenClass: 'partner',
      scopes: [],
      partnerId: 'acme',
      vendorId: 'V0001',
    });
  });

  test('scp may be a space-separated string', () => {
    assert.deepEqual(map({ token_class: 'internal', scp: 'a b' }).scopes, ['a', 'b']);
  });

  // [case, claims, reason]
  const refused: [string, Record<string, unknown>, string][] = [
    ['no token_class', {}, 'class'],
    ['token_class not a string', { token_class: ['internal'] }, 'class'],
    ['unknown token_class', { token_class: 'root' }, 'class'],
    ['inherited property as class', { token_class: 'constructor' }, 'class'],
    ['channel-app without channel', { token_class: 'channel-app' }, 'class'],
    ['channel-app with an empty channel', { token_class: 'channel-app', channel: '' }, 'class'],
    [
      'channel-app with a lower-case channel',
      { token_class: 'channel-app', channel: 'pos' },
      'class',
    ],
    ['channel not a string', { token_class: 'channel-app', channel: ['POS'] }, 'class'],
    ['partner without partner_id', { token_class: 'partner', vendor_id: 'V1' }, 'class'],
    [
      'partner with a numeric vendor_id',
      { token_class: 'partner', partner_id: 'p', vendor_id: 1 },
      'class',
    ],
    ['internal with a channel', { token_class: 'internal', channel: 'POS' }, 'class'],
    [
      'channel-app with a partner_id',
      { token_class: 'channel-app', channel: 'POS', partner_id: 'p' },
      'class',
    ],
    ['scope and scp both present', { token_class: 'internal', scope: 'a', scp: ['a'] }, 'claims'],
    ['scope a number', { token_class: 'internal', scope: 1 }, 'claims'],
    ['scp with a non-string', { token_class: 'internal', scp: ['a', 2] }, 'claims'],
    ['scp item with a space', { token_class: 'internal', scp: ['a b'] }, 'claims'],
    ['azp not a string', { token_class: 'internal', azp: 5 }, 'claims'],
    ['empty client_id', { token_class: 'internal', client_id: '' }, 'claims'],
  ];
  for (const [name, claims, reason] of refused) {
    test(`refuses ${name}: invalid token: ${reason}`, () => {
      assert.throws(() => map(claims), {
        name: 'TokenRejectedError',
        message: `invalid token: ${reason}`,
      });
    });
  }
});
