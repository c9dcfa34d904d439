import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import type { AsymmetricAlgorithm, KeySource } from '../../policies/auth-policy.ts';
import { KeysUnavailableError } from './token-rejection.ts';

export type VerificationKey = { kid: string; alg: AsymmetricAlgorithm; key: KeyObject };

/**
 * Verification keys by `kid`. Keys come only from the policy's JWKS (file or URL): token headers
 * such as `jku`, `x5u`, `x5c` or `jwk` are never read.
 */
export type KeyStore = {
  /** The key for `kid`, or undefined when the JWKS has none. Throws KeysUnavailableError. */
  key(kid: string): Promise<VerificationKey | undefined>;
};

/** Usable signing keys of a JWKS document; keys of other types, uses or sizes are skipped. */
export function keysFromJwks(document: unknown): Map<string, VerificationKey> {
  const keys = new Map<string, VerificationKey>();
  const list = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error('not a JWKS (no "keys" list)');
  for (const jwk of list as Record<string, unknown>[]) {
    if (typeof jwk?.kid !== 'string' || jwk.kid === '' || keys.has(jwk.kid)) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const alg =
      jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined;
    if (!alg || (jwk.alg !== undefined && jwk.alg !== alg)) continue;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      continue;
    }
    if (alg === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) continue;
    keys.set(jwk.kid, { kid: jwk.kid, alg, key });
  }
  return keys;
}

/** A JWKS file read once, at start; an unreadable or empty file throws (the gateway won't start). */
export function createFileKeyStore(file: string): KeyStore {
  let keys: Map<string, VerificationKey>;
  try {
    keys = keysFromJwks(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${file}: cannot load the JWKS (${(error as Error).message})`);
  }
  if (keys.size === 0) throw new Error(`${file}: the JWKS holds no usable RS256/ES256 signing key`);
  return { key: async (kid) => keys.get(kid) };
}

export type UrlKeyStoreOptions = {
  url: string;
  /** How long a fetched JWKS is used before it is fetched again. */
  cacheSeconds: number;
  /** Least time between two fetches (refresh, unknown `kid`, retry after failure). Default 30 000. */
  minRefetchIntervalMs?: number;
  /** Timeout of one fetch. Default 5000. */
  timeoutMs?: number;
  /** Largest JWKS body accepted. Default 256 KiB. */
  maxBytes?: number;
  /** Clock (ms). Default Date.now. */
  now?: () => number;
  /** Where fetch failures are reported. Default console.warn. */
  warn?: (message: string) => void;
};

async function fetchJwks(url: string, timeoutMs: number, maxBytes: number) {
  const res = await request(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.body.destroy();
      throw new Error(`body over ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const keys = keysFromJwks(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  if (keys.size === 0) throw new Error('no usable RS256/ES256 signing key');
  return keys;
}

/**
 * A JWKS URL (production): fetched on first use, cached for cacheSeconds, refetched on an
 * unknown `kid` (key rotation) at most once per minRefetchIntervalMs; concurrent requests share
 * one fetch. When a refresh fails the previous keys stay in use; with no keys at all, key()
 * throws KeysUnavailableError.
 */
export function createUrlKeyStore(options: UrlKeyStoreOptions): KeyStore {
  const now = options.now ?? Date.now;
  const minInterval = options.minRefetchIntervalMs ?? 30_000;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let keys: Map<string, VerificationKey> | undefined;
  let fetchedAt = 0;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let lastFailure = 'not fetched yet';
  let inflight: Promise<void> | undefined;

  function refresh(): Promise<void> {
    inflight ??= (async () => {
      attemptedAt = now();
      try {
        keys = await fetchJwks(options.url, options.timeoutMs ?? 5000, options.maxBytes ?? 262_144);
        fetchedAt = now();
      } catch (error) {
        lastFailure = (error as Error).message;
        warn(`[gateway] JWKS fetch from ${options.url} failed: ${lastFailure}`);
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  }
  const mayFetch = () => now() - attemptedAt >= minInterval;

  return {
    async key(kid) {
      let fetched = false;
      if (inflight) await inflight;
      if ((!keys || now() - fetchedAt >= options.cacheSeconds * 1000) && mayFetch()) {
        await refresh();
        fetched = true;
      }
      if (!keys) throw new KeysUnavailableError(lastFailure);
      const found = keys.get(kid);
      if (found || fetched || !mayFetch()) return found;
      await refresh();
      return keys.get(kid);
    },
  };
}

/** The store a policy's key source names. */
export function createKeyStore(source: KeySource): KeyStore {
  return source.kind === 'file'
    ? createFileKeyStore(source.file)
    : createUrlKeyStore({ url: source.url, cacheSeconds: source.cacheSeconds });
}
