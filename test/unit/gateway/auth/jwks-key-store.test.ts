import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, mock, test } from 'node:test';
import {
  createFileKeyStore,
  createJwksKeyStore,
  createUrlKeyStore,
  type UrlKeyStoreOptions,
} from '../../../../gateway/auth/jwks-key-store.ts';
import { verifyToken } from '../../../../gateway/auth/verify-token.ts';
import { sendJson, startHttpFixture } from '../../../fixtures/http-fixture.ts';
import { AUDIENCE, claims, craft, ISSUER } from '../../../helpers/tokens.ts';

const pair = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits });
const rsa = (bits = 2048) => pair(bits).publicKey;
const ec = (curve = 'P-256') => generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
const jwk = (key: KeyObject, extra: Record<string, unknown>) => ({
  ...key.export({ format: 'jwk' }),
  ...extra,
});
const spki = (key: KeyObject | undefined) => key?.export({ format: 'pem', type: 'spki' });
const RSA_A = pair();
const RSA_B = pair();

describe('createJwksKeyStore (jose over a JWKS document)', () => {
  test('serves RS256/ES256 signing keys by kid and skips everything else', async () => {
    const keys = createJwksKeyStore({
      keys: [
        jwk(RSA_A.publicKey, { kid: 'rsa', alg: 'RS256', use: 'sig' }),
        jwk(ec(), { kid: 'ec' }),
        jwk(rsa(1024), { kid: 'short-rsa' }),
        jwk(ec('P-384'), { kid: 'p384' }),
        jwk(RSA_B.publicKey, { kid: 'enc', use: 'enc' }),
        jwk(RSA_B.publicKey, { kid: 'rs512', alg: 'RS512' }),
        jwk(RSA_B.publicKey, { kid: 'twice' }),
        jwk(RSA_A.publicKey, { kid: 'twice' }),
        { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' },
      ],
    });
    const rsaKey = await keys.key('rsa', 'RS256');
    assert.equal(rsaKey?.alg, 'RS256');
    assert.equal(spki(rsaKey?.key), spki(RSA_A.publicKey));
    assert.equal((await keys.key('ec', 'ES256'))?.alg, 'ES256');
    for (const kid of ['short-rsa', 'p384', 'enc', 'rs512', 'twice', 'hmac', 'nope']) {
      assert.equal(await keys.key(kid, 'RS256'), undefined, kid);
      assert.equal(await keys.key(kid, 'ES256'), undefined, kid);
    }
  });

  test('a kid of another key type comes back with its own algorithm (the token is then refused)', async () => {
    const keys = createJwksKeyStore({ keys: [jwk(ec(), { kid: 'ec' })] });
    assert.equal((await keys.key('ec', 'RS256'))?.alg, 'ES256');
    assert.equal((await keys.key('ec'))?.alg, 'ES256');
  });

  test('refuses a document that is not a JWKS, or serves no usable key', () => {
    assert.throws(() => createJwksKeyStore({ kid: 'x' }), {
      message: 'not a JWKS (JSON Web Key Set malformed)',
    });
    assert.throws(() => createJwksKeyStore({ keys: [jwk(rsa(1024), { kid: 'short' })] }), {
      message: 'the JWKS holds no usable RS256/ES256 signing key',
    });
  });
});

describe('createFileKeyStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('serves the development JWKS', async () => {
    const store = createFileKeyStore('policies/dev-keys/jwks.json');
    assert.equal((await store.key('dev-rsa-1', 'RS256'))?.alg, 'RS256');
    assert.equal((await store.key('dev-ec-1', 'ES256'))?.alg, 'ES256');
    assert.equal(await store.key('nope', 'RS256'), undefined);
  });

  test('refuses a missing file, invalid JSON, a non-JWKS and a JWKS without a usable key', () => {
    const missing = join(dir, 'missing.json');
    assert.throws(() => createFileKeyStore(missing), {
      message: `${missing}: cannot load the JWKS (ENOENT: no such file or directory, open '${missing}')`,
    });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"keys": [');
    assert.throws(() => createFileKeyStore(broken), { message: /^.*broken\.json: cannot load/ });
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"kid": "k1"}');
    assert.throws(() => createFileKeyStore(other), {
      message: `${other}: not a JWKS (JSON Web Key Set malformed)`,
    });
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ keys: [jwk(rsa(1024), { kid: 'short' })] }));
    assert.throws(() => createFileKeyStore(empty), {
      message: `${empty}: the JWKS holds no usable RS256/ES256 signing key`,
    });
  });
});

/**
 * The JWKS URL against a tiny HTTP server on port 0. jose's cache and cooldown read Date.now:
 * the tests move a mocked clock instead of waiting.
 */
describe('createUrlKeyStore (jose remote JWKS)', () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let status = 200;
  let document: unknown;
  let warnings: string[] = [];

  before(async () => {
    fixture = await startHttpFixture((_req, res) => {
      if (status === 302) {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else if (typeof document === 'string') {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(document);
      } else sendJson(res, status, document);
    });
  });
  after(() => fixture.close());
  beforeEach(() => {
    fixture.requests.length = 0;
    status = 200;
    document = { keys: [jwk(RSA_A.publicKey, { kid: 'k1' })] };
    warnings = [];
    mock.timers.enable({ apis: ['Date'], now: 1_800_000_000_000 });
  });
  afterEach(() => mock.timers.reset());
  const store = (extra: Partial<UrlKeyStoreOptions> = {}) =>
    createUrlKeyStore({
      url: `${fixture.url}/jwks.json`,
      cacheSeconds: 600,
      warn: (message) => warnings.push(message),
      ...extra,
    });
  const fetches = () => fixture.requests.length;
  const later = (ms: number) => mock.timers.tick(ms);

  test('fetches on first use, once for concurrent requests, then serves from the cache', async () => {
    const keys = store();
    const found = await Promise.all([1, 2, 3, 4, 5].map(() => keys.key('k1', 'RS256')));
    assert.ok(found.every((key) => key?.kid === 'k1'));
    later(599_000);
    assert.equal((await keys.key('k1', 'RS256'))?.kid, 'k1');
    assert.deepEqual(fixture.requests, ['GET /jwks.json']);
  });

  test('refetches once cacheSeconds have passed', async () => {
    const keys = store();
    await keys.key('k1', 'RS256');
    later(600_000);
    document = { keys: [jwk(RSA_B.publicKey, { kid: 'k2' })] };
    assert.equal((await keys.key('k2', 'RS256'))?.kid, 'k2');
    assert.equal(await keys.key('k1', 'RS256'), undefined);
    assert.equal(fetches(), 2);
  });

  test('an unknown kid refetches (rotation), at most once per cooldown', async () => {
    const keys = store();
    await keys.key('k1', 'RS256');
    document = { keys: [jwk(RSA_A.publicKey, { kid: 'k1' }), jwk(RSA_B.publicKey, { kid: 'k2' })] };
    later(29_999);
    assert.equal(await keys.key('k2', 'RS256'), undefined, 'too soon after the last fetch');
    assert.equal(fetches(), 1);
    later(1);
    assert.equal((await keys.key('k2', 'RS256'))?.kid, 'k2');
    assert.equal(fetches(), 2);
    later(10_000);
    assert.equal(await keys.key('k3', 'RS256'), undefined);
    assert.equal(await keys.key('k4', 'ES256'), undefined);
    assert.equal(fetches(), 2, 'a flood of unknown kids does not hammer the identity provider');
    later(20_000);
    assert.equal(await keys.key('k3', 'RS256'), undefined);
    assert.equal(fetches(), 3);
  });

  test('fails closed: KeysUnavailableError while the JWKS cannot be fetched, reported once', async () => {
    status = 500;
    document = { error: 'down' };
    const keys = store();
    const unavailable = {
      name: 'KeysUnavailableError',
      message: /^verification keys are unavailable: /,
    };
    await assert.rejects(keys.key('k1', 'RS256'), unavailable);
    await assert.rejects(keys.key('k1', 'RS256'), unavailable);
    assert.equal(fetches(), 2, 'every request tries again');
    status = 200;
    document = { keys: [jwk(RSA_A.publicKey, { kid: 'k1' })] };
    assert.equal((await keys.key('k1', 'RS256'))?.kid, 'k1');
    assert.deepEqual(warnings, [
      `[gateway] JWKS from ${fixture.url}/jwks.json is unavailable: Expected 200 OK from the JSON Web Key Set HTTP response`,
    ]);
  });

  test('fails closed once the cached keys are older than cacheSeconds and the JWKS is down', async () => {
    const keys = store();
    await keys.key('k1', 'RS256');
    status = 503;
    later(600_000);
    await assert.rejects(keys.key('k1', 'RS256'), { name: 'KeysUnavailableError' });
    assert.equal(fetches(), 2);
    assert.equal(warnings.length, 1);
  });

  // [case, status, body]
  const failures: [string, number, unknown][] = [
    ['a redirect (not followed)', 302, undefined],
    ['invalid JSON', 200, '{"keys": ['],
    ['not a JWKS', 200, { kid: 'k1' }],
  ];
  for (const [name, code, body] of failures) {
    test(`treats ${name} as a failed fetch`, async () => {
      status = code;
      document = body;
      await assert.rejects(store().key('k1', 'RS256'), { name: 'KeysUnavailableError' });
      assert.equal(fetches(), 1);
      assert.equal(warnings.length, 1);
    });
  }
});

describe('key rotation at a JWKS URL, through verifyToken', () => {
  const NOW = 1_800_000_000; // seconds: the tokens' clock and the mocked Date.now
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let served: unknown[] = [];
  let up = true;
  before(async () => {
    fixture = await startHttpFixture((_req, res) =>
      up ? sendJson(res, 200, { keys: served }) : sendJson(res, 503, { error: 'down' }),
    );
  });
  after(() => fixture.close());
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: NOW * 1000 }));
  afterEach(() => mock.timers.reset());

  const policy = {
    issuer: ISSUER,
    audiences: [AUDIENCE],
    algorithms: ['RS256', 'ES256'] as ('RS256' | 'ES256')[],
    clockSkewSeconds: 30,
    maxTokenBytes: 8192,
  };
  const signed = (kid: string, key: KeyObject) =>
    craft({ alg: 'RS256', kid }, claims({}, NOW), { alg: 'RS256', key });

  test('a new kid at the URL is accepted after the refetch; an unknown one is refused; down fails closed', async () => {
    served = [jwk(RSA_A.publicKey, { kid: 'old' })];
    const keys = createUrlKeyStore({
      url: `${fixture.url}/jwks.json`,
      cacheSeconds: 600,
      warn: () => {},
    });
    const options = { policy, keys };
    assert.equal((await verifyToken(signed('old', RSA_A.privateKey), options)).sub, 'user-1');
    assert.equal(fixture.requests.length, 1);

    served = [jwk(RSA_A.publicKey, { kid: 'old' }), jwk(RSA_B.publicKey, { kid: 'new' })];
    mock.timers.tick(30_000); // the cooldown after the last fetch
    assert.equal((await verifyToken(signed('new', RSA_B.privateKey), options)).sub, 'user-1');
    assert.equal(fixture.requests.length, 2, 'the unknown kid refetched the JWKS');

    mock.timers.tick(30_000);
    await assert.rejects(verifyToken(signed('unknown', RSA_B.privateKey), options), {
      name: 'TokenRejectedError',
      message: 'invalid token: key',
    });
    assert.equal(fixture.requests.length, 3, 'looked for once more, then refused');

    up = false;
    mock.timers.tick(600_000); // the cached JWKS is too old to be trusted
    await assert.rejects(verifyToken(signed('old', RSA_A.privateKey), options), {
      name: 'KeysUnavailableError',
    });
    assert.equal(fixture.requests.length, 4);
  });
});
