import { sign as signBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadAuthPolicy } from '../../policies/auth-policy.ts';
import type { DevTokenClaims } from '../../policies/dev-keys/dev-token.ts';
import type { BenchSigningKey } from './bench-secrets.ts';

/** Who the benchmark's requests claim to be (the subject is set per token). */
export type BenchPrincipal = Omit<DevTokenClaims, 'subject'>;

export type BenchTokens = {
  /** The one token of "as sent" mode. */
  shared: string;
  /** One token per connection in "dedup defeated" mode (subjects bench-0, bench-1, ...). */
  perConnection: string[];
};

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A JWT signed with the bench run's key (RS256, its `kid`), with the claims a development token
 * of policies/dev-keys/dev-token.ts carries.
 */
export function signBenchToken(
  key: BenchSigningKey,
  claims: DevTokenClaims & { issuer: string; audience: string; ttlSeconds: number },
): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: claims.issuer,
    aud: claims.audience,
    sub: claims.subject,
    iat,
    nbf: iat,
    exp: iat + claims.ttlSeconds,
    token_class: claims.tokenClass,
    scope: claims.scopes.join(' '),
  };
  if (claims.channel !== undefined) payload.channel = claims.channel;
  if (claims.partnerId !== undefined) payload.partner_id = claims.partnerId;
  if (claims.vendorId !== undefined) payload.vendor_id = claims.vendorId;
  if (claims.clientId !== undefined) payload.azp = claims.clientId;
  const input = `${base64url({ alg: key.alg, typ: 'JWT', kid: key.kid })}.${base64url(payload)}`;
  // RS256: RSASSA-PKCS1-v1_5 with SHA-256 (node's default padding for an RSA key).
  const signature = signBytes('sha256', Buffer.from(input), key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/**
 * Tokens signed with the bench run's own key (harness/bench-secrets.ts), which our gateway
 * verifies through the JWKS of its bench auth policy (harness/bench-policies.ts); issuer and
 * audience are policies/auth.yaml's, which that copy keeps. Every gateway gets the same headers;
 * only ours verifies them.
 */
export function benchTokens(
  repoRoot: string,
  principal: BenchPrincipal,
  connections: number,
  key: BenchSigningKey,
): BenchTokens {
  const policy = loadAuthPolicy(join(repoRoot, 'policies/auth.yaml'));
  const sign = (subject: string): string =>
    signBenchToken(key, {
      ...principal,
      subject,
      issuer: policy.issuer,
      audience: policy.audiences[0]!,
      ttlSeconds: 6 * 3600,
    });
  return {
    shared: sign('bench'),
    perConnection: Array.from({ length: connections }, (_, i) => sign(`bench-${i}`)),
  };
}
