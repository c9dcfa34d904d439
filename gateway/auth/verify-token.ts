import { createSecretKey, type KeyObject } from 'node:crypto';
import {
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import jwt from 'jsonwebtoken';
import type { AsymmetricAlgorithm, AuthPolicy } from '../../policies/auth-policy.ts';
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

/** Three base64url segments, header and payload not empty (the signature may be: then refused). */
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** `typ` values of a JWT access token (RFC 7519, RFC 9068), any case, `application/` optional. */
const JWT_TYPES = new Set(['jwt', 'at+jwt']);

function reject(reason: RejectionReason): never {
  throw new TokenRejectedError(reason);
}

/** Header and payload as sent, before anything is verified. */
function decoded(token: string): { header: ProtectedHeaderParameters; payload: JWTPayload } {
  if (!COMPACT.test(token)) reject('malformed');
  let parts: { header: ProtectedHeaderParameters; payload: JWTPayload };
  try {
    parts = { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    reject('malformed');
  }
  const { crit, typ } = parts.header;
  if (crit !== undefined) reject('malformed');
  const type = String(typ ?? 'JWT').toLowerCase();
  if (!JWT_TYPES.has(type.replace(/^application\//, ''))) reject('malformed');
  return parts;
}

/** The key for the header's alg and kid, or why there is none; the allow-list before any lookup. */
async function keyFor(
  { alg, kid }: ProtectedHeaderParameters,
  options: VerifyTokenOptions,
): Promise<KeyObject> {
  if (alg === 'HS256' && options.hs256Secret) {
    return createSecretKey(Buffer.from(options.hs256Secret, 'utf8'));
  }
  if (!(options.policy.algorithms as (string | undefined)[]).includes(alg)) reject('algorithm');
  if (typeof kid !== 'string' || kid === '') reject('key');
  const found = await options.keys.key(kid, alg as AsymmetricAlgorithm);
  if (!found) reject('key');
  if (found.alg !== alg) reject('algorithm');
  return found.key;
}

/**
 * Verifies a compact JWS against the auth policy; returns the claims or throws TokenRejectedError
 * (see token-rejection.ts) / KeysUnavailableError. Every reason is known from the step that
 * failed, never from a library's message: the structure, `crit` and `typ`, then the algorithm
 * allow-list and `kid` (before any key lookup); then jsonwebtoken verifies the signature with the
 * one algorithm of the key, then nbf and exp (its NotBeforeError and TokenExpiredError, the only
 * failures it can have once the signature verified); then audience, issuer and the claims'
 * types, on claims now known to be signed.
 */
export async function verifyToken(
  token: string,
  options: VerifyTokenOptions,
): Promise<VerifiedClaims> {
  const { policy } = options;
  if (Buffer.byteLength(token) > policy.maxTokenBytes) reject('too large');
  const { header, payload } = decoded(token);
  const key = await keyFor(header, options);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  // An ill-typed nbf or exp fails jsonwebtoken with the same error class as a bad signature:
  // then it checks the signature alone, and the claim is refused below.
  const timed = [payload.nbf, payload.exp].every((v) => v === undefined || typeof v === 'number');
  let claims: Record<string, unknown>;
  try {
    claims = jwt.verify(token, key, {
      algorithms: [header.alg as jwt.Algorithm],
      clockTolerance: policy.clockSkewSeconds,
      clockTimestamp: nowSeconds,
      ignoreNotBefore: !timed,
      ignoreExpiration: !timed,
    }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof jwt.NotBeforeError) reject('not yet valid');
    if (error instanceof jwt.TokenExpiredError) reject('expired');
    reject('signature');
  }
  if (!timed) reject('claims');
  const audiences = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
  if (!audiences.some((aud) => policy.audiences.includes(aud as string))) reject('audience');
  if (claims.iss !== policy.issuer) reject('issuer');
  if (typeof claims.exp !== 'number') reject('claims');
  if (typeof claims.sub !== 'string' || claims.sub === '') reject('claims');
  if (claims.iat !== undefined) {
    if (typeof claims.iat !== 'number') reject('claims');
    if (claims.iat > nowSeconds + policy.clockSkewSeconds) reject('not yet valid');
  }
  return claims as VerifiedClaims;
}
