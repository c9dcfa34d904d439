import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createFileKeyStore } from '../../../../gateway/auth/jwks-key-store.ts';
import { principalFromClaims } from '../../../../gateway/auth/principal-from-claims.ts';
import { verifyToken } from '../../../../gateway/auth/verify-token.ts';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';
import { issueDevToken, USAGE } from '../../../../policies/dev-keys/token-args.ts';
import { SALES_CHANNELS } from '../../../../contracts/canonical/sales-channels.ts';

const run = promisify(execFile);
const policy = loadAuthPolicy('policies/auth.yaml');
const keys = createFileKeyStore('policies/dev-keys/jwks.json');

async function issue(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'policies/dev-keys/issue-token.ts', ...args]);
}

async function verified(stdout: string) {
  assert.match(stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'stdout is one token and a newline');
  const token = stdout.trim();
  const claims = await verifyToken(token, { policy, keys });
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
  return { header, claims, principal: principalFromClaims(claims, policy.tokenClasses) };
}

describe('npm run token (policies/dev-keys/issue-token.ts)', () => {
  test('a channel-app RS256 token for one hour that the dev JWKS verifies', async () => {
    const { stdout } = await issue([
      '--sub',
      'alice',
      '--scopes',
      'promotion:read pricing:read',
      '--channel',
      'ECOMMERCE',
    ]);
    const { header, claims, principal } = await verified(stdout);
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: 'dev-rsa-1' });
    assert.equal(claims.exp - (claims.iat as number), 3600);
    assert.deepEqual(principal, {
      subject: 'alice',
      tokenClass: 'channel-app',
      scopes: ['promotion:read', 'pricing:read'],
      channel: 'ECOMMERCE',
    });
  });

  test('a partner ES256 token: vendor defaults to the partner, ttl and client honoured', async () => {
    const { stdout } = await issue([
      '--sub',
      'p-user',
      '--scopes',
      'promotion:write',
      '--partner',
      'acme',
      '--alg',
      'ES256',
      '--ttl',
      '15m',
      '--client',
      'acme-erp',
    ]);
    const { header, claims, principal } = await verified(stdout);
    assert.equal(header.kid, 'dev-ec-1');
    assert.equal(claims.exp - (claims.iat as number), 900);
    assert.deepEqual(principal, {
      subject: 'p-user',
      tokenClass: 'partner',
      scopes: ['promotion:write'],
      partnerId: 'acme',
      vendorId: 'acme',
      clientId: 'acme-erp',
    });
  });

  test('through npm run -s token: only the token on stdout', async () => {
    const { stdout } = await run('npm', [
      'run',
      '-s',
      'token',
      '--',
      '--sub',
      'ops',
      '--scopes',
      'promotion:approve',
    ]);
    const { principal } = await verified(stdout);
    assert.deepEqual(principal, {
      subject: 'ops',
      tokenClass: 'internal',
      scopes: ['promotion:approve'],
    });
  });

  // [case, args, stderr line]
  const usage: [string, string[], string][] = [
    ['no --scopes', ['--sub', 'x'], 'token: --scopes is required (may be "")'],
    ['no --sub', ['--scopes', 'a'], 'token: --sub is required'],
    [
      'a channel the policy does not allow',
      ['--sub', 'x', '--scopes', '', '--channel', 'FAX'],
      `token: channel must be one of ${SALES_CHANNELS.join(', ')}, got "FAX"`,
    ],
    [
      'a class missing its claims',
      ['--sub', 'x', '--scopes', '', '--class', 'partner'],
      'token: partner tokens need partner_id',
    ],
    [
      'a claim the class does not declare',
      ['--sub', 'x', '--scopes', '', '--class', 'internal', '--channel', 'POS'],
      'token: internal tokens cannot carry channel',
    ],
    [
      'an unknown class',
      ['--sub', 'x', '--scopes', '', '--class', 'root'],
      'token: unknown --class "root" (policy has: channel-app, partner, internal)',
    ],
    [
      'a bad ttl',
      ['--sub', 'x', '--scopes', '', '--ttl', '1y'],
      'token: --ttl must look like 90s, 15m, 1h or 2d, got "1y"',
    ],
    [
      'HS256',
      ['--sub', 'x', '--scopes', '', '--alg', 'HS256'],
      'token: --alg must be RS256 or ES256, got "HS256"',
    ],
    [
      'an unknown flag',
      ['--sub', 'x', '--scopes', '', '--admin'],
      "token: Unknown option '--admin'",
    ],
  ];
  test('refuses bad arguments with the reason (in-process)', () => {
    for (const [name, args, message] of usage) {
      assert.throws(() => issueDevToken(args), { message: message.replace(/^token: /, '') }, name);
    }
  });

  test('prints the reason and the usage on stderr and exits 2', async () => {
    const failure = await issue(['--sub', 'x']).then(
      () => assert.fail('accepted'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(failure.code, 2);
    assert.equal(failure.stdout, '');
    assert.equal(failure.stderr, `token: --scopes is required (may be "")\n${USAGE}\n`);
  });
});
