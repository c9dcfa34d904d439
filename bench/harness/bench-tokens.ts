import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { loadAuthPolicy } from '../../policies/auth-policy.ts';
import { tokenPayload, type DevTokenClaims } from '../../policies/dev-keys/dev-token.ts';
import type { BenchSigningKey } from './bench-secrets.ts';

/** Who the benchmark's requests claim to be (the subject is set per token). */
export type BenchPrincipal = Omit<DevTokenClaims, 'subject'>;

export type BenchTokens = {
  /** The one token of "as sent" mode. */
  shared: string;
  /** One token per connection in "dedup defeated" mode (subjects bench-0, bench-1, ...). */
  perConnection: string[];
};

/**
 * A JWT signed with the bench run's key (RS256, its `kid`), with the claims a development token
 * of policies/dev-keys/dev-token.ts carries (`tokenPayload`).
 */
export function signBenchToken(
  key: BenchSigningKey,
  claims: DevTokenClaims & { issuer: string; audience: string; ttlSeconds: number },
): string {
  return jwt.sign(tokenPayload(claims), key.privateKey, { algorithm: key.alg, keyid: key.kid });
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
