import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AuthPolicy } from '../../policies/auth-policy.ts';
import type { KeyStore } from './jwks-key-store.ts';
import { TokenRejectedError, type RejectionReason } from './token-rejection.ts';

export type VerifyTokenOptions = {
  policy: Pick<
    AuthPolicy,
    'issuer' | 'audiences' | 'algorithms' | 'clockSkewSeconds' | 'maxTokenBytes'
  >;
  keys: KeyStore;
  /**
   * Development only: the dedicated HS256 secret. Set only when the policy allows HS256; an
   * HS256 token is then verified with this secret and never with a JWKS key. Default: HS256 refused.
   */
  hs256Secret?: string;
  /** Clock (ms). Default Date.now. */
  now?: () => number;
};

export type VerifiedClaims = Record<string, unknown> & { sub: string; exp: number };

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function reject(reason: RejectionReason): never {
  throw new TokenRejectedError(reason);
}

function jsonObject(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    reject('malformed');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) reject('malformed');
  return value as Record<string, unknown>;
}

/** jsonwebtoken's error → our vocabulary (the library's message never reaches the client). */
function reasonFor(error: unknown): RejectionReason {
  if (error instanceof jwt.TokenExpiredError) return 'expired';
  if (error instanceof jwt.NotBeforeError) return 'not yet valid';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt audience invalid')) return 'audience';
  if (message.startsWith('jwt issuer invalid')) return 'issuer';
  if (message === 'invalid nbf value' || message === 'invalid exp value') return 'claims';
  if (message === 'invalid signature' || message === 'jwt signature is required') {
    return 'signature';
  }
  if (message === 'invalid algorithm' || message.includes('"alg" parameter')) return 'algorithm';
  if (message.startsWith('secretOrPublicKey must be')) return 'algorithm';
  return 'malformed';
}

/**
 * Verifies a compact JWS against the auth policy. Cheap structural checks and the algorithm
 * allow-list run BEFORE any key lookup; then jsonwebtoken checks the signature (with the one
 * algorithm the key is for), nbf, exp, audience and issuer. Returns the claims or throws
 * TokenRejectedError (see token-rejection.ts) / KeysUnavailableError.
 */
export async function verifyToken(
  token: string,
  options: VerifyTokenOptions,
): Promise<VerifiedClaims> {
  const { policy } = options;
  if (Buffer.byteLength(token) > policy.maxTokenBytes) reject('too large');
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((segment) => SEGMENT.test(segment))) {
    reject('malformed');
  }
  const [headerSegment, payloadSegment] = segments as [string, string, string];
  if (!headerSegment || !payloadSegment) reject('malformed');
  const header = jsonObject(headerSegment);
  jsonObject(payloadSegment);
  if (header.crit !== undefined) reject('malformed');

  const alg = header.alg;
  let key: KeyObject;
  if (alg === 'HS256' && options.hs256Secret) {
    key = createSecretKey(Buffer.from(options.hs256Secret, 'utf8'));
  } else {
    if (typeof alg !== 'string' || !(policy.algorithms as string[]).includes(alg)) {
      reject('algorithm');
    }
    if (typeof header.kid !== 'string' || header.kid === '') reject('key');
    const found = await options.keys.key(header.kid);
    if (!found) reject('key');
    if (found.alg !== alg) reject('algorithm');
    key = found.key;
  }

  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  let claims: Record<string, unknown>;
  try {
    claims = jwt.verify(token, key, {
      algorithms: [alg as jwt.Algorithm],
      issuer: policy.issuer,
      audience: policy.audiences as [string, ...string[]],
      clockTolerance: policy.clockSkewSeconds,
      clockTimestamp: nowSeconds,
    }) as Record<string, unknown>;
  } catch (error) {
    reject(reasonFor(error));
  }
  if (typeof claims.exp !== 'number') reject('claims');
  if (typeof claims.sub !== 'string' || claims.sub === '') reject('claims');
  if (claims.iat !== undefined) {
    if (typeof claims.iat !== 'number') reject('claims');
    if (claims.iat > nowSeconds + policy.clockSkewSeconds) reject('not yet valid');
  }
  return claims as VerifiedClaims;
}
