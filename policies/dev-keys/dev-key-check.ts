import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * RFC 7638 SHA-256 thumbprints of the development keys whose private halves are committed here
 * (jwks.json, rsa-private.pem, ec-private.pem) → their name. Production refuses them by the key
 * material, so a copy of jwks.json elsewhere, with other `kid`s, or served from a URL is refused
 * too. test/unit/gateway/auth/dev-key-check.test.ts fails when generate.ts replaced the keys and
 * this list was not updated (add the new ones; keep the old: they stay public in git history).
 */
export const DEV_KEY_THUMBPRINTS: ReadonlyMap<string, string> = new Map([
  ['iKCdO794mi3h6Wbwcfz8K0-j5DI-epKmYnKD8InAfhM', 'dev-rsa-1'],
  ['Cb-GQrCx0UDQegMwqc3ayv9ajV5JR3KQ0rHWNZOsBIU', 'dev-ec-1'],
]);

/** RFC 7638 thumbprint (SHA-256, base64url) of an RSA or EC key; undefined for other types. */
export function jwkThumbprint(key: KeyObject): string | undefined {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  // The required members only, in lexicographic order.
  const members =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : jwk.kty === 'EC'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : undefined;
  if (!members) return undefined;
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

const known = new WeakMap<KeyObject, string | null>();

/** The name of the development key `key` is (whatever `kid` it is served under), else undefined. */
export function developmentKeyName(key: KeyObject): string | undefined {
  let name = known.get(key);
  if (name === undefined) {
    name = DEV_KEY_THUMBPRINTS.get(jwkThumbprint(key) ?? '') ?? null;
    known.set(key, name);
  }
  return name ?? undefined;
}

/** Names of the development keys a JWKS document holds, in order; unusable entries are skipped. */
export function developmentKeysInJwks(document: unknown): string[] {
  const list = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return [];
  const names: string[] = [];
  for (const jwk of list as unknown[]) {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      continue;
    }
    const name = developmentKeyName(key);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Production check of a `jwks: { file }` key source: throws (one line, naming the file and what to
 * set) when the file holds a development key. An unreadable file is left to the key store.
 */
export function refuseDevelopmentJwksFile(file: string, policyPath: string): void {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const names = developmentKeysInJwks(document);
  if (names.length === 0) return;
  throw new Error(
    `${file} (jwks.file of ${policyPath}) holds the development key${names.length > 1 ? 's' : ''} ` +
      `${names.join(', ')} of policies/dev-keys, whose private keys are public: set jwks.url to ` +
      `your identity provider's JWKS when NODE_ENV=production`,
  );
}

/**
 * Wraps a key lookup so that it never returns a development key (production with `jwks: { url }`:
 * a JWKS URL serving them is found only when fetched). Tokens they sign then fail as an unknown
 * key; `warn` is told once per `kid`.
 */
export function withoutDevelopmentKeys<T extends { key: KeyObject }>(
  lookup: (kid: string) => Promise<T | undefined>,
  warn: (kid: string, name: string) => void,
): (kid: string) => Promise<T | undefined> {
  const warned = new Set<string>();
  return async (kid) => {
    const found = await lookup(kid);
    const name = found && developmentKeyName(found.key);
    if (!name) return found;
    if (!warned.has(kid)) {
      warned.add(kid);
      warn(kid, name);
    }
    return undefined;
  };
}
