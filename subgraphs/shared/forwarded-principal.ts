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
/**
 * Longest lifetime (`exp - iat`, seconds) a forwarded principal may declare. The gateway signs
 * 120 s tokens (gateway/forward-principal.ts) and this subgraph's own service principals live
 * 120 s too; a token without `exp` or `iat`, or valid for longer, is refused, so a leaked or
 * hand-made token cannot be valid for years. The one declaration: the gateway's signer should
 * read it too (today the lint boundaries keep gateway/ from importing subgraphs/).
 */
export const PRINCIPAL_MAX_LIFETIME_SECONDS = 300;

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
  iat?: unknown;
  exp?: unknown;
};

/**
 * Why a principal was refused, one word. The 401 says only this (`invalid gateway principal:
 * expired`): never the expected issuer or audience, a secret, or the JWT library's message.
 */
export type PrincipalRejection =
  | 'missing'
  | 'oversized'
  | 'malformed'
  | 'signature'
  | 'expired'
  | 'premature'
  | 'lifetime'
  | 'issuer'
  | 'audience'
  | 'claims';

function unauthenticated(reason: PrincipalRejection): GraphQLError {
  return new GraphQLError(`invalid gateway principal: ${reason}`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/** Maps a jsonwebtoken failure to a reason word (its message may name the expected values). */
function rejectionOf(error: unknown): PrincipalRejection {
  if (error instanceof jwt.TokenExpiredError) return 'expired';
  if (error instanceof jwt.NotBeforeError) return 'premature';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt issuer invalid')) return 'issuer';
  if (message.startsWith('jwt audience invalid')) return 'audience';
  if (message === 'jwt malformed' || message.startsWith('invalid token')) return 'malformed';
  if (message === 'invalid exp value' || message === 'invalid nbf value') return 'claims';
  return 'signature';
}

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/**
 * The lifetime rule: `exp` and `iat` are required, `iat` may not be in the future and
 * `exp - iat` may not exceed PRINCIPAL_MAX_LIFETIME_SECONDS (nor, whatever `iat` says, may `exp`
 * be further ahead than that). The gateway's signer sets both (gateway/forward-principal.ts: it
 * must not pass jsonwebtoken's `noTimestamp`, which deletes `iat`).
 */
function checkLifetime(claims: Claims, nowSeconds: number, tolerance: number): void {
  if (!isSeconds(claims.exp) || !isSeconds(claims.iat)) throw unauthenticated('lifetime');
  if (claims.iat > nowSeconds + tolerance) throw unauthenticated('premature');
  const lifetime = claims.exp - claims.iat;
  if (
    lifetime <= 0 ||
    lifetime > PRINCIPAL_MAX_LIFETIME_SECONDS ||
    claims.exp - nowSeconds > PRINCIPAL_MAX_LIFETIME_SECONDS + tolerance
  ) {
    throw unauthenticated('lifetime');
  }
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function principalOf(claims: Claims): ForwardedPrincipal {
  if (!isText(claims.sub) || !isText(claims.cls) || !Array.isArray(claims.scp)) {
    throw unauthenticated('claims');
  }
  if (!claims.scp.every(isText)) throw unauthenticated('claims');
  const principal: ForwardedPrincipal = {
    subject: claims.sub,
    tokenClass: claims.cls,
    scopes: claims.scp,
  };
  const optional = { chn: 'channel', pid: 'partnerId', vid: 'vendorId', cid: 'clientId' } as const;
  for (const [claim, field] of Object.entries(optional) as [keyof typeof optional, string][]) {
    const value = claims[claim];
    if (value === undefined) continue;
    if (!isText(value)) throw unauthenticated('claims');
    (principal as Record<string, unknown>)[field] = value;
  }
  if (principal.tokenClass === 'partner' && !principal.vendorId) {
    throw unauthenticated('claims');
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
    if (!token) throw unauthenticated('missing');
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.expiresAt > now) return hit.principal;
    if (token.length > 4096) throw unauthenticated('oversized');
    let rejection: PrincipalRejection = 'signature';
    for (const secret of options.secrets) {
      let claims: Claims;
      try {
        claims = jwt.verify(token, secret, {
          algorithms: ['HS256'],
          issuer: PRINCIPAL_ISSUER,
          audience: PRINCIPAL_AUDIENCE,
          clockTolerance: tolerance,
        }) as Claims;
      } catch (error) {
        // A signature that does not match this secret may match the next one (rotation);
        // any other failure is the same whatever the secret.
        rejection = rejectionOf(error);
        if (rejection !== 'signature') break;
        continue;
      }
      checkLifetime(claims, Math.floor(now / 1000), tolerance);
      const principal = principalOf(claims);
      if (cache.size >= 10_000) cache.clear();
      cache.set(token, { principal, expiresAt: (claims.exp as number) * 1000 });
      return principal;
    }
    throw unauthenticated(rejection);
  };
}

/**
 * A subgraph calling another subgraph on its own behalf (e.g. the promotion subgraph's readiness
 * gate) signs a service principal the same way the gateway signs callers, holding the `scopes`
 * the fields it asks for declare (the callee re-checks them, shared/field-access.ts). Tokens live
 * two minutes and are renewed after one.
 */
export function createServicePrincipalSigner(options: {
  secret: string;
  subject: string;
  /** Scopes the service principal holds. Default none. */
  scopes?: readonly string[];
  clock?: () => number;
}): () => string {
  const clock = options.clock ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  return () => {
    const now = clock();
    if (cached && cached.renewAt > now) return cached.token;
    const iat = Math.floor(now / 1000);
    const claims = {
      sub: options.subject,
      cls: 'service',
      scp: [...(options.scopes ?? [])],
      iat,
      exp: iat + 120,
    };
    // Not `noTimestamp`: jsonwebtoken would delete the `iat` set above.
    const token = jwt.sign(claims, options.secret, {
      algorithm: 'HS256',
      issuer: PRINCIPAL_ISSUER,
      audience: PRINCIPAL_AUDIENCE,
    });
    cached = { token, renewAt: now + 60_000 };
    return token;
  };
}
