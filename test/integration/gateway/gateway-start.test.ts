import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { signDevToken } from '../../../policies/dev-keys/dev-token.ts';
import { startGatewayProcess } from '../../helpers/gateway-process.ts';

const startGateway = startGatewayProcess;

const dir = mkdtempSync(join(tmpdir(), 'gateway-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function policyWith(from: string, to: string): string {
  const file = join(dir, `auth-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, readFileSync('policies/auth.yaml', 'utf8').replace(from, to));
  return file;
}

const token = signDevToken({
  subject: 'ops',
  scopes: [],
  tokenClass: 'internal',
  issuer: 'https://auth.promotions.local',
  audience: 'promotions-graph',
  ttlSeconds: 60,
});
const typename = (url: string, authorization: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

describe('gateway/index.ts with the auth policy', { concurrency: true }, () => {
  test('refuses to start with a bad policy, naming file, line and field', async () => {
    const file = policyWith('algorithms: [RS256, ES256]', 'algorithms: [RS256, none]');
    const line = readFileSync(file, 'utf8').split('\n').indexOf('algorithms: [RS256, none]') + 1;
    const result = await startGateway({ AUTH_POLICY_PATH: file });
    assert.ok('code' in result, 'the gateway must not start');
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `[gateway] cannot start: ${file}:${line}: algorithms[1]: expected one of RS256, ES256, got "none"\n`,
    );
  });

  test('refuses to start in production without a principal-signing secret', async () => {
    const result = await startGateway({ PRINCIPAL_SIGNING_SECRET: '' });
    assert.ok('code' in result, 'the gateway must not start');
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      '[gateway] cannot start: PRINCIPAL_SIGNING_SECRET must be set when NODE_ENV=production\n',
    );
  });

  test('starts with policies/auth.yaml: a dev token passes, a bad one gets 401', async () => {
    // Development: production refuses the development keys (production-start.test.ts).
    const gateway = await startGateway({ NODE_ENV: 'development' });
    assert.ok('url' in gateway, 'the gateway starts');
    try {
      const ok = await typename(gateway.url, `Bearer ${token}`);
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { data: { __typename: 'Query' } });
      const refused = await typename(gateway.url, 'Bearer nope');
      assert.equal(refused.status, 401);
      assert.deepEqual(await refused.json(), {
        errors: [{ message: 'invalid token: malformed', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    } finally {
      await gateway.stop();
    }
  });
});
