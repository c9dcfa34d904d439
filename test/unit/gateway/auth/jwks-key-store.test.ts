import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createFileKeyStore,
  createUrlKeyStore,
  keysFromJwks,
  type UrlKeyStoreOptions,
} from '../../../../gateway/auth/jwks-key-store.ts';
import { sendJson, startHttpFixture } from '../../../fixtures/http-fixture.ts';

const rsa = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
const ec = (curve = 'P-256') => generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
const jwk = (key: KeyObject, extra: Record<string, unknown>) => ({
  ...key.export({ format: 'jwk' }),
  ...extra,
});
const RSA_A = rsa();
const RSA_B = rsa();

describe('keysFromJwks', () => {
  test('keeps RS256/ES256 signing keys with a kid and skips everything else', () => {
    const keys = keysFromJwks({
      keys: [
        jwk(RSA_A, { kid: 'rsa', alg: 'RS256', use: 'sig' }),
        jwk(ec(), { kid: 'ec' }),
        jwk(RSA_B, { kid: 'rsa' }), // duplicate kid: the first one stays
        jwk(rsa(1024), { kid: 'short-rsa' }),
        jwk(ec('P-384'), { kid: 'p384' }),
        jwk(RSA_B, { kid: 'enc', use: 'enc' }),
        jwk(RSA_B, { kid: 'rs512', alg: 'RS512' }),
        jwk(RSA_B, {}),
        { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' },
        { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 'AQAB' },
        null,
      ],
    });
    assert.deepEqual([...keys.keys()], ['rsa', 'ec']);
    assert.equal(keys.get('rsa')?.alg, 'RS256');
    assert.equal(keys.get('ec')?.alg, 'ES256');
    assert.equal(
      keys.get('rsa')?.key.export({ format: 'pem', type: 'spki' }),
      RSA_A.export({ format: 'pem', type: 'spki' }),
    );
  });

  test('refuses a document that is not a JWKS', () => {
    assert.throws(() => keysFromJwks({ kid: 'x' }), { message: 'not a JWKS (no "keys" list)' });
  });
});

describe('createFileKeyStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('serves the development JWKS', async () => {
    const store = createFileKeyStore('policies/dev-keys/jwks.json');
    assert.equal((await store.key('dev-rsa-1'))?.alg, 'RS256');
    assert.equal((await store.key('dev-ec-1'))?.alg, 'ES256');
    assert.equal(await store.key('nope'), undefined);
  });

  test('refuses a missing file, invalid JSON and a JWKS without a usable key', () => {
    const missing = join(dir, 'missing.json');
    assert.throws(() => createFileKeyStore(missing), {
      message: `${missing}: cannot load the JWKS (ENOENT: no such file or directory, open '${missing}')`,
    });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"keys": [');
    assert.throws(() => createFileKeyStore(broken), { message: /^.*broken\.json: cannot load/ });
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ keys: [jwk(rsa(1024), { kid: 'short' })] }));
    assert.throws(() => createFileKeyStore(empty), {
      message: `${empty}: the JWKS holds no usable RS256/ES256 signing key`,
    });
  });
});

describe('createUrlKeyStore', () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let status = 200;
  let document: unknown;
  let clock = 0;
  let warnings: string[] = [];

  before(async () => {
    fixture = await startHttpFixture((_req, res) => {
      if (status === 302) {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
        return;
      }
      if (typeof document === 'string') {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(document);
        return;
      }
      sendJson(res, status, document);
    });
  });
  after(() => fixture.close());
  beforeEach(() => {
    fixture.requests.length = 0;
    status = 200;
    document = { keys: [jwk(RSA_A, { kid: 'k1' })] };
    clock = 1_000_000;
    warnings = [];
  });
  const store = (extra: Partial<UrlKeyStoreOptions> = {}) =>
    createUrlKeyStore({
      url: `${fixture.url}/jwks.json`,
      cacheSeconds: 600,
      now: () => clock,
      warn: (message) => warnings.push(message),
      ...extra,
    });
  const fetches = () => fixture.requests.length;

  test('fetches on first use, once for concurrent requests, then serves from the cache', async () => {
    const keys = store();
    const found = await Promise.all([1, 2, 3, 4, 5].map(() => keys.key('k1')));
    assert.ok(found.every((key) => key?.kid === 'k1'));
    clock += 599_000;
    assert.equal((await keys.key('k1'))?.kid, 'k1');
    assert.deepEqual(fixture.requests, ['GET /jwks.json']);
  });

  test('refetches once cacheSeconds have passed', async () => {
    const keys = store();
    await keys.key('k1');
    clock += 600_000;
    document = { keys: [jwk(RSA_B, { kid: 'k2' })] };
    assert.equal(await keys.key('k1'), undefined);
    assert.equal((await keys.key('k2'))?.kid, 'k2');
    assert.equal(fetches(), 2);
  });

  test('an unknown kid refetches (rotation), at most once per 30 s', async () => {
    const keys = store();
    await keys.key('k1');
    document = { keys: [jwk(RSA_A, { kid: 'k1' }), jwk(RSA_B, { kid: 'k2' })] };
    clock += 29_999;
    assert.equal(await keys.key('k2'), undefined, 'too soon after the last fetch');
    assert.equal(fetches(), 1);
    clock += 1;
    assert.equal((await keys.key('k2'))?.kid, 'k2');
    assert.equal(fetches(), 2);
    clock += 10_000;
    assert.equal(await keys.key('k3'), undefined);
    assert.equal(await keys.key('k4'), undefined);
    assert.equal(fetches(), 2, 'a flood of unknown kids does not hammer the identity provider');
    clock += 20_000;
    assert.equal(await keys.key('k3'), undefined);
    assert.equal(fetches(), 3);
  });

  test('with nothing cached, a failing JWKS means KeysUnavailableError, retried after 30 s', async () => {
    status = 500;
    document = { error: 'down' };
    const keys = store();
    const unavailable = {
      name: 'KeysUnavailableError',
      message: 'verification keys are unavailable: HTTP 500',
    };
    await assert.rejects(keys.key('k1'), unavailable);
    clock += 10_000;
    await assert.rejects(keys.key('k1'), unavailable);
    assert.equal(fetches(), 1);
    status = 200;
    document = { keys: [jwk(RSA_A, { kid: 'k1' })] };
    clock += 20_000;
    assert.equal((await keys.key('k1'))?.kid, 'k1');
    assert.equal(fetches(), 2);
    assert.deepEqual(warnings, [
      `[gateway] JWKS fetch from ${fixture.url}/jwks.json failed: HTTP 500`,
    ]);
  });

  test('keeps the cached keys when a refresh fails', async () => {
    const keys = store();
    await keys.key('k1');
    status = 503;
    clock += 600_000;
    assert.equal((await keys.key('k1'))?.kid, 'k1');
    assert.equal(fetches(), 2);
    assert.equal(warnings.length, 1);
  });

  // [case, status, body, failure]
  const failures: [string, number, unknown, string | RegExp][] = [
    ['a redirect (not followed)', 302, undefined, 'HTTP 302'],
    ['invalid JSON', 200, '{"keys": [', /JSON/],
    [
      'a body over the limit',
      200,
      { keys: [], pad: 'x'.repeat(300_000) },
      'body over 262144 bytes',
    ],
    ['not a JWKS', 200, { kid: 'k1' }, 'not a JWKS (no "keys" list)'],
    [
      'no usable key',
      200,
      { keys: [jwk(rsa(1024), { kid: 'k1' })] },
      'no usable RS256/ES256 signing key',
    ],
  ];
  for (const [name, code, body, failure] of failures) {
    test(`treats ${name} as a failed fetch`, async () => {
      status = code;
      document = body;
      await assert.rejects(store().key('k1'), { name: 'KeysUnavailableError' });
      assert.equal(fetches(), 1);
      assert.equal(warnings.length, 1);
      const reason = warnings[0]!.replace(/^.* failed: /, '');
      if (typeof failure === 'string') assert.equal(reason, failure);
      else assert.match(reason, failure);
    });
  }
});
