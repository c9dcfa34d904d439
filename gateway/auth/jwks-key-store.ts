import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type CryptoKey,
  type JSONWebKeySet,
  type LocalJWKSet,
} from 'jose';
import {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  type KeySource,
} from '../../policies/auth-policy.ts';
import { KeysUnavailableError } from './token-rejection.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

export type VerificationKey = { kid: string; alg: AsymmetricAlgorithm; key: KeyObject };

/**
 * Verification keys by `kid`, resolved by jose from the policy's JWKS (file or URL) only: token
 * headers such as `jku`, `x5u`, `x5c` or `jwk` are never read.
 */
export type KeyStore = {
  /**
   * The key the JWKS holds under `kid`: the one for `alg` when given and held, else one for
   * another algorithm (the caller refuses the token); undefined when it holds none. Throws
   * KeysUnavailableError.
   */
  key(kid: string, alg?: AsymmetricAlgorithm): Promise<VerificationKey | undefined>;
};

/** jose's key resolution over a JWKS: the key for a JWS header's `alg` and `kid`. */
type JwksKeys = (header: { alg: string; kid: string }) => Promise<CryptoKey>;

/** RSA keys under 2048 bits are never used, whatever the JWKS serves. */
const strong = (key: KeyObject): boolean =>
  key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;

/**
 * A KeyStore over jose's resolution. A failure other than "no such key" means the JWKS itself is
 * unusable (not fetched, not a JWKS): KeysUnavailableError, reported once until it answers again.
 */
function keyStoreOver(jwks: JwksKeys, report: (problem: string) => void = () => {}): KeyStore {
  const converted = new WeakMap<CryptoKey, KeyObject>();
  let failing = false;
  async function keyFor(alg: AsymmetricAlgorithm, kid: string): Promise<KeyObject | undefined> {
    let found: CryptoKey | undefined;
    try {
      found = await jwks({ alg, kid });
    } catch (error) {
      // A duplicate kid is as good as none: nothing says which key is meant.
      const noKey =
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys;
      if (!noKey) {
        if (!failing) report((error as Error).message);
        failing = true;
        throw new KeysUnavailableError((error as Error).message);
      }
    }
    failing = false;
    if (!found) return undefined;
    let key = converted.get(found);
    if (!key) converted.set(found, (key = KeyObject.from(found)));
    return strong(key) ? key : undefined;
  }
  return {
    async key(kid, alg) {
      const order = alg
        ? [alg, ...ASYMMETRIC_ALGORITHMS.filter((other) => other !== alg)]
        : ASYMMETRIC_ALGORITHMS;
      for (const candidate of order) {
        const key = await keyFor(candidate, kid);
        if (key) return { kid, alg: candidate, key };
      }
      return undefined;
    },
  };
}

/** Whether a JWKS entry could serve a token: a kid, and an RSA (2048+) or P-256 signing key. */
function usable(jwk: JsonWebKey & { kid?: unknown; use?: unknown }): boolean {
  if (typeof jwk.kid !== 'string' || jwk.kid === '' || (jwk.use ?? 'sig') !== 'sig') return false;
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    return key.asymmetricKeyType === 'ec'
      ? key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      : key.asymmetricKeyType === 'rsa' && strong(key);
  } catch {
    return false;
  }
}

/** A JWKS document in memory (a file's, or one made for a run); throws when it serves no key. */
export function createJwksKeyStore(document: unknown): KeyStore {
  let jwks: LocalJWKSet;
  try {
    jwks = createLocalJWKSet(document as JSONWebKeySet);
  } catch (error) {
    throw new Error(`not a JWKS (${(error as Error).message})`);
  }
  if (!jwks.jwks().keys.some(usable)) {
    throw new Error('the JWKS holds no usable RS256/ES256 signing key');
  }
  return keyStoreOver(jwks);
}

/** A JWKS file read once, at start; an unreadable or unusable file throws (the gateway won't start). */
export function createFileKeyStore(file: string): KeyStore {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot load the JWKS (${(error as Error).message})`);
  }
  try {
    return createJwksKeyStore(document);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

export type UrlKeyStoreOptions = {
  url: string;
  /** How long a fetched JWKS is used before it is fetched again. */
  cacheSeconds: number;
  /** Least time between two fetches for an unknown `kid` (key rotation). Default 30 000. */
  cooldownMs?: number;
  /** Timeout of one fetch. Default 5000. */
  timeoutMs?: number;
  /**
   * Where an unusable JWKS URL is reported (once, until it serves again). Default: the process's
   * logger (warn).
   */
  warn?: (message: string) => void;
};

/**
 * A JWKS URL (production), through jose's remote JWKS: fetched on first use, cached for
 * cacheSeconds, refetched on an unknown `kid` (key rotation) at most once per cooldownMs;
 * concurrent requests share one fetch; redirects are not followed. Fails closed: while the JWKS
 * cannot be fetched (down, not a JWKS, timed out), key() throws KeysUnavailableError and the
 * gateway answers 503; every request tries again.
 */
export function createUrlKeyStore(options: UrlKeyStoreOptions): KeyStore {
  const remote = createRemoteJWKSet(new URL(options.url), {
    cacheMaxAge: options.cacheSeconds * 1000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: options.timeoutMs ?? 5000,
  });
  const warn = options.warn ?? ((message: string) => processLogger().warn(message));
  return keyStoreOver(remote, (problem) =>
    warn(`[gateway] JWKS from ${options.url} is unavailable: ${problem}`),
  );
}

/** The store a policy's key source names. */
export function createKeyStore(source: KeySource): KeyStore {
  return source.kind === 'file'
    ? createFileKeyStore(source.file)
    : createUrlKeyStore({ url: source.url, cacheSeconds: source.cacheSeconds });
}
