import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Regenerates the DEVELOPMENT signing keys of the embedded default (never used in production,
 * which reads `jwks.url` from policies/auth.yaml): an RSA 2048 pair for RS256 and an EC P-256 pair
 * for ES256. Writes the public JWKS (jwks.json) and the PKCS#8 private keys next to this file.
 * Run by hand only (`npx tsx policies/dev-keys/generate.ts`), never in CI: every token issued with
 * the old keys stops verifying.
 */
const DIR = import.meta.dirname;

function jwk(publicKey: KeyObject, kid: string, alg: string): Record<string, unknown> {
  return { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }) as string;

writeFileSync(join(DIR, 'rsa-private.pem'), pem(rsa.privateKey));
writeFileSync(join(DIR, 'ec-private.pem'), pem(ec.privateKey));
const jwks = {
  keys: [jwk(rsa.publicKey, 'dev-rsa-1', 'RS256'), jwk(ec.publicKey, 'dev-ec-1', 'ES256')],
};
writeFileSync(join(DIR, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
console.log(`wrote ${DIR}/{jwks.json,rsa-private.pem,ec-private.pem}`);
