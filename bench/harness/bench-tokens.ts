import { join } from 'node:path';
import { loadAuthPolicy } from '../../policies/auth-policy.ts';
import { signDevToken, type DevTokenClaims } from '../../policies/dev-keys/dev-token.ts';

/** Who the benchmark's requests claim to be (the subject is set per token). */
export type BenchPrincipal = Omit<DevTokenClaims, 'subject'>;

export type BenchTokens = {
  /** The one token of "as sent" mode. */
  shared: string;
  /** One token per connection in "dedup defeated" mode (subjects bench-0, bench-1, ...). */
  perConnection: string[];
};

/**
 * Development tokens (policies/dev-keys, RS256) our gateway accepts with authentication on. Every
 * gateway gets the same headers; only ours verifies them.
 */
export function benchTokens(
  repoRoot: string,
  principal: BenchPrincipal,
  connections: number,
): BenchTokens {
  const policy = loadAuthPolicy(join(repoRoot, 'policies/auth.yaml'));
  const sign = (subject: string): string =>
    signDevToken({
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
