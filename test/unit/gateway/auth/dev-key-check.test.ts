import assert from 'node:assert/strict';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  DEV_KEY_THUMBPRINTS,
  developmentKeyName,
  developmentKeysInJwks,
  jwkThumbprint,
  refuseDevelopmentJwksFile,
  withoutDevelopmentKeys,
} from '../../../../policies/dev-keys/dev-key-check.ts';

const committed = JSON.parse(readFileSync('policies/dev-keys/jwks.json', 'utf8')) as {
  keys: (JsonWebKey & { kid: string })[];
};
const freshRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const freshEc = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const jwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid });
const devRsa = createPublicKey(createPrivateKey(readFileSync('policies/dev-keys/rsa-private.pem')));

const dir = mkdtempSync(join(tmpdir(), 'dev-key-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function jwksFile(keys: unknown[]): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ keys }));
  return file;
}

describe('development keys (policies/dev-keys) are recognised by the key itself', () => {
  test('DEV_KEY_THUMBPRINTS are the committed jwks.json and private keys (update it after generate.ts)', () => {
    const fromJwks = committed.keys.map((key) => [
      jwkThumbprint(createPublicKey({ key, format: 'jwk' })),
      key.kid,
    ]);
    assert.deepEqual(fromJwks, [...DEV_KEY_THUMBPRINTS]);
    const fromPem = ['rsa-private.pem', 'ec-private.pem'].map((file) =>
      jwkThumbprint(createPrivateKey(readFileSync(`policies/dev-keys/${file}`))),
    );
    assert.deepEqual(fromPem, [...DEV_KEY_THUMBPRINTS.keys()]);
  });

  test('RFC 7638 thumbprint (the RFC’s own example key)', () => {
    const key = createPublicKey({
      key: {
        kty: 'RSA',
        n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
        e: 'AQAB',
      },
      format: 'jwk',
    });
    assert.equal(jwkThumbprint(key), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  test('found under any kid, in any copy of the file; fresh keys are not', () => {
    assert.equal(developmentKeyName(devRsa), 'dev-rsa-1');
    assert.equal(developmentKeyName(freshRsa), undefined);
    const renamed = committed.keys.map((key, i) => ({ ...key, kid: `prod-${i}`, alg: undefined }));
    assert.deepEqual(developmentKeysInJwks({ keys: [jwk(freshEc, 'a'), ...renamed] }), [
      'dev-rsa-1',
      'dev-ec-1',
    ]);
    assert.deepEqual(developmentKeysInJwks({ keys: [jwk(freshRsa, 'a'), jwk(freshEc, 'b')] }), []);
    assert.deepEqual(developmentKeysInJwks({ keys: [null, { kty: 'RSA' }, 'x'] }), []);
    assert.deepEqual(developmentKeysInJwks('not a jwks'), []);
  });

  test('refuseDevelopmentJwksFile names the file, the keys and what to set', () => {
    const copy = jwksFile([jwk(freshRsa, 'prod-1'), { ...committed.keys[1], kid: 'prod-2' }]);
    assert.throws(() => refuseDevelopmentJwksFile(copy, '/etc/promotions/auth.yaml'), {
      message: `${copy} (jwks.file of /etc/promotions/auth.yaml) holds the development key dev-ec-1 of policies/dev-keys, whose private keys are public: set jwks.url to your identity provider's JWKS when NODE_ENV=production`,
    });
    assert.throws(
      () => refuseDevelopmentJwksFile('policies/dev-keys/jwks.json', 'policies/auth.yaml'),
      {
        message:
          "policies/dev-keys/jwks.json (jwks.file of policies/auth.yaml) holds the development keys dev-rsa-1, dev-ec-1 of policies/dev-keys, whose private keys are public: set jwks.url to your identity provider's JWKS when NODE_ENV=production",
      },
    );
    assert.doesNotThrow(() =>
      refuseDevelopmentJwksFile(jwksFile([jwk(freshRsa, 'dev-rsa-1')]), 'auth.yaml'),
    );
    // Unreadable: left to the key store, which refuses it with its own message.
    assert.doesNotThrow(() => refuseDevelopmentJwksFile(join(dir, 'missing.json'), 'auth.yaml'));
  });

  test('withoutDevelopmentKeys hides a development key served under any kid, warning once', async () => {
    const served = new Map([
      ['dev-rsa-1', { key: devRsa }],
      ['idp-1', { key: freshRsa }],
    ]);
    const warnings: string[] = [];
    const key = withoutDevelopmentKeys(
      async (kid: string) => served.get(kid),
      (kid, name) => warnings.push(`${kid}=${name}`),
    );
    assert.equal(await key('dev-rsa-1'), undefined);
    assert.equal(await key('dev-rsa-1'), undefined);
    assert.equal(await key('idp-1'), served.get('idp-1'));
    assert.equal(await key('unknown'), undefined);
    assert.deepEqual(warnings, ['dev-rsa-1=dev-rsa-1']);
  });
});
