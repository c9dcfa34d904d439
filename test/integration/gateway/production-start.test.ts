import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { signDevToken } from '../../../policies/dev-keys/dev-token.ts';
import { startGatewayProcess } from '../../helpers/gateway-process.ts';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';

const METRICS_TOKEN = 'metrics-token-for-this-test-0123456789';
const ISSUER = 'https://auth.promotions.local';
const AUDIENCE = 'promotions-graph';

// The identity provider of this test: a fresh key, and (as a careless IdP might) the development
// RSA key under its own kid.
const idpKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const devJwks = JSON.parse(readFileSync('policies/dev-keys/jwks.json', 'utf8')) as {
  keys: Record<string, unknown>[];
};
const idp = await startHttpFixture((_req, res) =>
  sendJson(res, 200, {
    keys: [
      { ...idpKey.publicKey.export({ format: 'jwk' }), kid: 'idp-1', use: 'sig' },
      devJwks.keys[0],
    ],
  }),
);
const jwksUrl = `${idp.url}/.well-known/jwks.json`;

const dir = mkdtempSync(join(tmpdir(), 'production-start-'));
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await idp.close();
});
/** policies/auth.yaml with its `jwks.file` line replaced. */
function policyWith(jwksLine: string): string {
  const file = join(dir, `auth-${Math.random().toString(36).slice(2)}.yaml`);
  const source = readFileSync('policies/auth.yaml', 'utf8');
  assert.ok(source.includes('  file: policies/dev-keys/jwks.json\n'));
  writeFileSync(file, source.replace('  file: policies/dev-keys/jwks.json\n', `  ${jwksLine}\n`));
  return file;
}
const urlPolicy = policyWith(`url: ${jwksUrl}`);

/** The real gateway in production, with the test IdP's policy and no benchmark switch. */
const startGateway = (env: Record<string, string>) =>
  startGatewayProcess({
    METRICS_TOKEN,
    AUTH_POLICY_PATH: urlPolicy,
    AUTH_DISABLED: '',
    THROTTLING_DISABLED: '',
    OPERATION_LIMITS_DISABLED: '',
    ...env,
  });

async function refused(env: Record<string, string>, message: string): Promise<void> {
  const result = await startGateway(env);
  assert.ok('code' in result, 'the gateway must not start');
  assert.equal(result.code, 1);
  assert.equal(result.stderr, `[gateway] cannot start: ${message}\n`);
}

describe(
  'gateway/index.ts with NODE_ENV=production refuses development settings',
  { concurrency: true },
  () => {
    test('the committed development JWKS (policies/auth.yaml as shipped)', () =>
      refused(
        { AUTH_POLICY_PATH: '' },
        `policies/dev-keys/jwks.json (jwks.file of ${resolve('policies/auth.yaml')}) holds the development keys dev-rsa-1, dev-ec-1 of policies/dev-keys, whose private keys are public: set jwks.url to your identity provider's JWKS when NODE_ENV=production`,
      ));

    test('a copy of the development JWKS elsewhere, with other kids', () => {
      const copy = join(dir, 'keys.json');
      writeFileSync(
        copy,
        JSON.stringify({ keys: devJwks.keys.map((key, i) => ({ ...key, kid: `prod-${i}` })) }),
      );
      const policy = policyWith(`file: ${copy}`);
      return refused(
        { AUTH_POLICY_PATH: policy },
        `${copy} (jwks.file of ${policy}) holds the development keys dev-rsa-1, dev-ec-1 of policies/dev-keys, whose private keys are public: set jwks.url to your identity provider's JWKS when NODE_ENV=production`,
      );
    });

    for (const name of ['AUTH_DISABLED', 'THROTTLING_DISABLED', 'OPERATION_LIMITS_DISABLED']) {
      test(`${name}=true`, () =>
        refused(
          { [name]: 'true' },
          `${name} is for benchmarks only and refused when NODE_ENV=production: unset it or set ${name}=false`,
        ));
    }

    test('no METRICS_TOKEN', () =>
      refused(
        { METRICS_TOKEN: '' },
        'METRICS_TOKEN must be set when NODE_ENV=production: the bearer token (at least 32 characters) GET /metrics requires',
      ));
  },
);

describe('gateway/index.ts with a complete production configuration', () => {
  test('starts: IdP tokens pass, development-key tokens do not, /metrics needs METRICS_TOKEN', async () => {
    const gateway = await startGateway({});
    assert.ok('url' in gateway, `the gateway starts: ${'code' in gateway ? gateway.stderr : ''}`);
    try {
      const typename = (authorization: string) =>
        fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
      const claims = { sub: 'ops', token_class: 'internal', scope: '' };
      const options = { issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 } as const;
      const idpToken = jwt.sign(claims, idpKey.privateKey, {
        ...options,
        algorithm: 'RS256',
        keyid: 'idp-1',
      });
      const ok = await typename(`Bearer ${idpToken}`);
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { data: { __typename: 'Query' } });

      // The JWKS URL serves the development RSA key (kid dev-rsa-1): not trusted for it.
      const devToken = signDevToken({
        subject: 'ops',
        scopes: [],
        tokenClass: 'internal',
        issuer: ISSUER,
        audience: AUDIENCE,
        ttlSeconds: 60,
      });
      const refusedDev = await typename(`Bearer ${devToken}`);
      assert.equal(refusedDev.status, 401);
      assert.deepEqual(await refusedDev.json(), {
        errors: [{ message: 'invalid token: key', extensions: { code: 'UNAUTHENTICATED' } }],
      });
      const metricsUrl = gateway.url.replace(/\/graphql$/, '/metrics');
      const anonymous = await fetch(metricsUrl);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      const wrong = await fetch(metricsUrl, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      const scraped = await fetch(metricsUrl, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      assert.equal(scraped.status, 200);
      assert.match(await scraped.text(), /^gateway_graphql_operations_total\{/m);
    } finally {
      assert.equal(await gateway.stop(), 0);
    }
    // Read once the process has exited: every line it wrote has arrived. Its log is JSON lines.
    const warning = `[gateway] ${jwksUrl} serves the development key dev-rsa-1 (kid "dev-rsa-1"), whose private key is public: tokens it signs are refused in production`;
    assert.deepEqual(
      gateway
        .stdout()
        .split('\n')
        .filter((line) => line.includes('development key'))
        .map((line) => {
          const { level, service, msg } = JSON.parse(line) as Record<string, unknown>;
          return { level, service, msg };
        }),
      [{ level: 'warn', service: 'gateway', msg: warning }],
    );
  });

  test('development: /metrics is open without METRICS_TOKEN', async () => {
    const gateway = await startGateway({ NODE_ENV: 'development', METRICS_TOKEN: '' });
    assert.ok('url' in gateway, `the gateway starts: ${'code' in gateway ? gateway.stderr : ''}`);
    try {
      const res = await fetch(gateway.url.replace(/\/graphql$/, '/metrics'));
      assert.equal(res.status, 200);
    } finally {
      await gateway.stop();
    }
  });
});
