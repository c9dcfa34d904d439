import { GraphQLError } from 'graphql';
import {
  checkPrincipalSecrets,
  PRINCIPAL_HEADER,
  PRINCIPAL_LIFETIME_SECONDS,
  PrincipalRejectedError,
  signPrincipalToken,
  verifyPrincipalToken,
  type PrincipalData,
  type PrincipalRejection,
} from '../../contracts/protocol/principal-token.ts';

/**
 * The caller as the gateway established it, forwarded to every subgraph request in the
 * `x-gateway-principal` header, in the wire format of contracts/protocol/principal-token.ts (the
 * one codec the gateway's signer, gateway/forward-principal.ts, uses too). Subgraphs trust this
 * and nothing else (not the client's Authorization header, not an unsigned header): a request
 * without a valid one is refused with UNAUTHENTICATED.
 */
export { PRINCIPAL_HEADER };
export type { PrincipalRejection };

export type ForwardedPrincipal = PrincipalData;

export type PrincipalVerifier = (token: string | undefined) => ForwardedPrincipal;

export type PrincipalVerifierOptions = {
  /** Accepted signing secrets (the first is current, the others still accepted during rotation). */
  secrets: readonly string[];
  /** Tolerated clock difference with the gateway, in seconds. Default 5. */
  clockToleranceSeconds?: number;
};

/** The 401 says only the reason word (`invalid gateway principal: expired`). */
function unauthenticated(error: PrincipalRejectedError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/**
 * Verifies the forwarded header. Verified tokens are cached until they expire (the gateway
 * reuses one token per principal for its lifetime), so the HMAC runs once per principal and
 * minute, not once per request.
 */
export function createPrincipalVerifier(options: PrincipalVerifierOptions): PrincipalVerifier {
  checkPrincipalSecrets(options.secrets);
  const cache = new Map<string, { principal: ForwardedPrincipal; expiresAt: number }>();
  const tolerance = options.clockToleranceSeconds ?? 5;
  return (token) => {
    const now = Date.now();
    const hit = token ? cache.get(token) : undefined;
    if (hit && hit.expiresAt > now) return hit.principal;
    try {
      const { principal, expiresAtSeconds } = verifyPrincipalToken(
        token,
        options.secrets,
        now,
        tolerance,
      );
      if (cache.size >= 10_000) cache.clear();
      cache.set(token!, { principal, expiresAt: expiresAtSeconds * 1000 });
      return principal;
    } catch (error) {
      if (error instanceof PrincipalRejectedError) throw unauthenticated(error);
      throw error;
    }
  };
}

/**
 * A subgraph calling another subgraph on its own behalf (e.g. the promotion subgraph's readiness
 * gate) signs a service principal the same way the gateway signs callers, holding the `scopes`
 * the fields it asks for declare (the callee re-checks them, shared/field-access.ts). Tokens live
 * PRINCIPAL_LIFETIME_SECONDS and are renewed after half of it.
 */
export function createServicePrincipalSigner(options: {
  secret: string;
  subject: string;
  /** Scopes the service principal holds. Default none. */
  scopes?: readonly string[];
  clock?: () => number;
}): () => string {
  const clock = options.clock ?? Date.now;
  const principal: PrincipalData = {
    subject: options.subject,
    tokenClass: 'service',
    scopes: [...(options.scopes ?? [])],
  };
  let cached: { token: string; renewAt: number } | undefined;
  return () => {
    const now = clock();
    if (cached && cached.renewAt > now) return cached.token;
    const token = signPrincipalToken(principal, options.secret, now);
    cached = { token, renewAt: now + PRINCIPAL_LIFETIME_SECONDS * 500 };
    return token;
  };
}
