import { GraphQLError } from 'graphql';
import jwt from 'jsonwebtoken';

/**
 * The caller as the gateway established it, forwarded to every subgraph request in the
 * `x-gateway-principal` header: a short-lived HS256 JWT (issuer `promotions-gateway`, audience
 * `promotions-subgraphs`) signed with PRINCIPAL_SIGNING_SECRET, which only the gateway and the
 * subgraphs hold. Subgraphs trust this and nothing else (not the client's Authorization header,
 * not an unsigned header): a request without a valid one is refused with UNAUTHENTICATED.
 * The gateway's signer is gateway/forward-principal.ts; test/unit/shared/forwarded-principal.test.ts
 * proves the two agree.
 */
export const PRINCIPAL_HEADER = 'x-gateway-principal';
export const PRINCIPAL_ISSUER = 'promotions-gateway';
export const PRINCIPAL_AUDIENCE = 'promotions-subgraphs';

export type ForwardedPrincipal = {
  /** Token subject; `anonymous` for a request without a token. */
  subject: string;
  /** Token class (`channel-app`, `partner`, `internal`) or `anonymous`. */
  tokenClass: string;
  scopes: readonly string[];
  channel?: string;
  partnerId?: string;
  /** Set for partner tokens: the only vendor whose data the caller may touch. */
  vendorId?: string;
  clientId?: string;
};

export type PrincipalVerifier = (token: string | undefined) => ForwardedPrincipal;

export type PrincipalVerifierOptions = {
  /** Accepted signing secrets (the first is current, the others still accepted during rotation). */
  secrets: readonly string[];
  /** Tolerated clock difference with the gateway, in seconds. Default 5. */
  clockToleranceSeconds?: number;
};

type Claims = {
  sub: string;
  cls: string;
  scp: string[];
  chn?: string;
  pid?: string;
  vid?: string;
  cid?: string;
  exp: number;
};

function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`missing or invalid gateway-signed principal (${reason})`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function principalOf(claims: Claims): ForwardedPrincipal {
  if (!isText(claims.sub) || !isText(claims.cls) || !Array.isArray(claims.scp)) {
    throw unauthenticated('malformed claims');
  }
  if (!claims.scp.every(isText)) throw unauthenticated('malformed claims');
  const principal: ForwardedPrincipal = {
    subject: claims.sub,
    tokenClass: claims.cls,
    scopes: claims.scp,
  };
  const optional = { chn: 'channel', pid: 'partnerId', vid: 'vendorId', cid: 'clientId' } as const;
  for (const [claim, field] of Object.entries(optional) as [keyof typeof optional, string][]) {
    const value = claims[claim];
    if (value === undefined) continue;
    if (!isText(value)) throw unauthenticated('malformed claims');
    (principal as Record<string, unknown>)[field] = value;
  }
  if (principal.tokenClass === 'partner' && !principal.vendorId) {
    throw unauthenticated('partner principal without a vendor');
  }
  return principal;
}

/**
 * Verifies the forwarded header. Verified tokens are cached until they expire (the gateway
 * reuses one token per principal for its lifetime), so the HMAC runs once per principal and
 * minute, not once per request.
 */
export function createPrincipalVerifier(options: PrincipalVerifierOptions): PrincipalVerifier {
  if (options.secrets.length === 0 || options.secrets.some((s) => s.length < 32)) {
    throw new Error('PRINCIPAL_SIGNING_SECRET must hold secrets of at least 32 characters');
  }
  const cache = new Map<string, { principal: ForwardedPrincipal; expiresAt: number }>();
  const tolerance = options.clockToleranceSeconds ?? 5;
  return (token) => {
    if (!token) throw unauthenticated('no principal header');
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.expiresAt > now) return hit.principal;
    if (token.length > 4096) throw unauthenticated('oversized');
    let lastError = 'bad signature';
    for (const secret of options.secrets) {
      try {
        const claims = jwt.verify(token, secret, {
          algorithms: ['HS256'],
          issuer: PRINCIPAL_ISSUER,
          audience: PRINCIPAL_AUDIENCE,
          clockTolerance: tolerance,
        }) as Claims;
        const principal = principalOf(claims);
        if (cache.size >= 10_000) cache.clear();
        cache.set(token, { principal, expiresAt: claims.exp * 1000 });
        return principal;
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        if (error instanceof jwt.TokenExpiredError) throw unauthenticated('expired');
        if (error instanceof jwt.JsonWebTokenError && error.message !== 'invalid signature') {
          lastError = error.message;
        }
      }
    }
    throw unauthenticated(lastError);
  };
}

/**
 * A subgraph calling another subgraph on its own behalf (e.g. the promotion subgraph's readiness
 * gate) signs a service principal the same way the gateway signs callers. Tokens live two
 * minutes and are renewed after one.
 */
export function createServicePrincipalSigner(options: {
  secret: string;
  subject: string;
  clock?: () => number;
}): () => string {
  const clock = options.clock ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  return () => {
    const now = clock();
    if (cached && cached.renewAt > now) return cached.token;
    const iat = Math.floor(now / 1000);
    const claims = { sub: options.subject, cls: 'service', scp: [], iat, exp: iat + 120 };
    const token = jwt.sign(claims, options.secret, {
      algorithm: 'HS256',
      issuer: PRINCIPAL_ISSUER,
      audience: PRINCIPAL_AUDIENCE,
      noTimestamp: true,
    });
    cached = { token, renewAt: now + 60_000 };
    return token;
  };
}
