import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * The principal token: how the gateway tells a subgraph who is calling. THE one codec, used by
 * the signer (gateway/forward-principal.ts, and a subgraph calling another on its own behalf)
 * and the verifier (subgraphs/shared/forwarded-principal.ts): header, issuer, audience, claim
 * names, lifetimes and the secrets' rules are declared here and nowhere else.
 *
 * Wire format: a short-lived HS256 JWT in the `x-gateway-principal` header (graphql-ws: the same
 * key in `connection_init`'s payload), issuer `promotions-gateway`, audience
 * `promotions-subgraphs`, signed with PRINCIPAL_SIGNING_SECRET, which only the gateway and the
 * subgraphs hold. Claims: `sub`, `cls` (token class), `scp` (scopes), optional `chn` (channel),
 * `pid` (partner id), `vid` (vendor id), `cid` (client id), and `iat` and `exp`, both required.
 *
 * Imports neither gateway/ nor subgraphs/: both import it (eslint.config.js).
 */
export const PRINCIPAL_HEADER = 'x-gateway-principal';
export const PRINCIPAL_ISSUER = 'promotions-gateway';
export const PRINCIPAL_AUDIENCE = 'promotions-subgraphs';
const ALGORITHM = 'HS256';

/** Lifetime (`exp - iat`) of the tokens the gateway and the subgraphs sign. */
export const PRINCIPAL_LIFETIME_SECONDS = 120;
/**
 * Longest lifetime a verifier accepts: a token without `exp` or `iat`, or valid for longer, is
 * refused, so a leaked or hand-made token cannot be valid for years.
 */
export const PRINCIPAL_MAX_LIFETIME_SECONDS = 300;
/** Largest token a verifier reads. */
export const PRINCIPAL_MAX_TOKEN_CHARS = 4096;
export const PRINCIPAL_MIN_SECRET_LENGTH = 32;

/**
 * Development default of PRINCIPAL_SIGNING_SECRET, so that `npm start` works with no set-up.
 * Refused when NODE_ENV=production.
 */
export const DEV_PRINCIPAL_SECRET = 'dev-only-principal-signing-secret-change-me';

/** The caller, as the gateway established it (the gateway's Principal is this type). */
export type PrincipalData = {
  /** Token subject (`sub`); `anonymous` for a request without a token. */
  subject: string;
  /** Token class from policies/auth.yaml (`channel-app`, `partner`, `internal`), `service` or `anonymous`. */
  tokenClass: string;
  /** Granted scopes, e.g. `promotion:read`. */
  scopes: readonly string[];
  /** Sales channel of a channel-app token (contracts/canonical/sales-channels.ts). */
  channel?: string;
  /** Partner id of a partner token. */
  partnerId?: string;
  /** Set for partner tokens: the only vendor whose data the caller may touch. */
  vendorId?: string;
  /** Client id (`azp` or `client_id`), for per-client limits. */
  clientId?: string;
};

export const ANONYMOUS_PRINCIPAL: PrincipalData = {
  subject: 'anonymous',
  tokenClass: 'anonymous',
  scopes: [],
};

/** Optional claim → principal field. */
const OPTIONAL_CLAIMS = {
  chn: 'channel',
  pid: 'partnerId',
  vid: 'vendorId',
  cid: 'clientId',
} as const satisfies Record<string, keyof PrincipalData>;
type OptionalClaim = keyof typeof OPTIONAL_CLAIMS;

type Claims = { sub: string; cls: string; scp: string[] } & Partial<Record<OptionalClaim, string>>;

/** The claims of a principal (without `iat`/`exp`): equal principals give equal claims. */
export function principalClaims(principal: PrincipalData): Claims {
  const claims: Claims = {
    sub: principal.subject,
    cls: principal.tokenClass,
    scp: [...principal.scopes],
  };
  for (const [claim, field] of Object.entries(OPTIONAL_CLAIMS) as [OptionalClaim, string][]) {
    const value = (principal as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') claims[claim] = value;
  }
  return claims;
}

/**
 * Signs a principal, valid from `nowMs` for `lifetimeSeconds`. Both `iat` and `exp` are set
 * (never jsonwebtoken's `noTimestamp`, which would delete `iat` and make the token refused).
 */
/**
 * The secret as a key object, made once per secret: given a string, jsonwebtoken first tries to
 * read it as a PEM public key, and the exception it catches each time cost more than the HMAC
 * (signed by the gateway and verified by every subgraph, per request).
 */
const secretKeys = new Map<string, KeyObject>();

function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

export function signPrincipalToken(
  principal: PrincipalData,
  secret: string,
  nowMs: number,
  lifetimeSeconds = PRINCIPAL_LIFETIME_SECONDS,
): string {
  const iat = Math.floor(nowMs / 1000);
  const claims = { ...principalClaims(principal), iat, exp: iat + lifetimeSeconds };
  return jwt.sign(claims, secretKey(secret), {
    algorithm: ALGORITHM,
    issuer: PRINCIPAL_ISSUER,
    audience: PRINCIPAL_AUDIENCE,
  });
}

/**
 * Why a principal was refused, one word. A verifier's answer says only this, never the expected
 * issuer or audience, a secret, or the JWT library's message.
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

export class PrincipalRejectedError extends Error {
  constructor(readonly reason: PrincipalRejection) {
    super(`invalid gateway principal: ${reason}`);
  }
}

const reject = (reason: PrincipalRejection): never => {
  throw new PrincipalRejectedError(reason);
};

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
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * The lifetime rule: `exp` and `iat` are required, `iat` may not be in the future and
 * `exp - iat` may not exceed PRINCIPAL_MAX_LIFETIME_SECONDS (nor, whatever `iat` says, may `exp`
 * be further ahead than that).
 */
function checkLifetime(claims: Record<string, unknown>, nowSeconds: number, tolerance: number) {
  const { iat, exp } = claims;
  if (!isSeconds(exp) || !isSeconds(iat)) return reject('lifetime');
  if (iat > nowSeconds + tolerance) reject('premature');
  const lifetime = exp - iat;
  if (
    lifetime <= 0 ||
    lifetime > PRINCIPAL_MAX_LIFETIME_SECONDS ||
    exp - nowSeconds > PRINCIPAL_MAX_LIFETIME_SECONDS + tolerance
  ) {
    reject('lifetime');
  }
  return exp;
}

function principalOf(claims: Record<string, unknown>): PrincipalData {
  const { sub, cls, scp } = claims;
  if (!isText(sub) || !isText(cls) || !Array.isArray(scp) || !scp.every(isText)) {
    return reject('claims');
  }
  const principal: PrincipalData = { subject: sub, tokenClass: cls, scopes: scp };
  for (const [claim, field] of Object.entries(OPTIONAL_CLAIMS)) {
    const value = claims[claim];
    if (value === undefined) continue;
    if (!isText(value)) reject('claims');
    (principal as Record<string, unknown>)[field] = value;
  }
  if (principal.tokenClass === 'partner' && !principal.vendorId) reject('claims');
  return principal;
}

export type VerifiedPrincipal = { principal: PrincipalData; expiresAtSeconds: number };

/**
 * Verifies a token against each secret in turn (the first is current, the others still accepted
 * during rotation); throws PrincipalRejectedError.
 */
export function verifyPrincipalToken(
  token: string | undefined,
  secrets: readonly string[],
  nowMs: number,
  /** Tolerated clock difference with the signer, in seconds. */
  toleranceSeconds: number,
): VerifiedPrincipal {
  if (!token) return reject('missing');
  if (token.length > PRINCIPAL_MAX_TOKEN_CHARS) reject('oversized');
  let rejection: PrincipalRejection = 'signature';
  for (const secret of secrets) {
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(token, secretKey(secret), {
        algorithms: [ALGORITHM],
        issuer: PRINCIPAL_ISSUER,
        audience: PRINCIPAL_AUDIENCE,
        clockTolerance: toleranceSeconds,
      }) as Record<string, unknown>;
    } catch (error) {
      // A signature that does not match this secret may match the next one (rotation);
      // any other failure is the same whatever the secret.
      rejection = rejectionOf(error);
      if (rejection !== 'signature') break;
      continue;
    }
    const expiresAtSeconds = checkLifetime(claims, Math.floor(nowMs / 1000), toleranceSeconds);
    return { principal: principalOf(claims), expiresAtSeconds };
  }
  return reject(rejection);
}

/**
 * PRINCIPAL_SIGNING_SECRET, comma-separated: the first signs, every one is accepted (rotation).
 * Unset: the development default, refused in production, as is a secret under 32 characters.
 */
export function principalSecretsFrom(raw: string | undefined, production: boolean): string[] {
  const secrets = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    if (production)
      throw new Error('PRINCIPAL_SIGNING_SECRET must be set when NODE_ENV=production');
    return [DEV_PRINCIPAL_SECRET];
  }
  checkPrincipalSecrets(secrets);
  if (production && secrets.includes(DEV_PRINCIPAL_SECRET)) {
    throw new Error('PRINCIPAL_SIGNING_SECRET must not be the development default in production');
  }
  return secrets;
}

/** Refuses an empty list or a secret under PRINCIPAL_MIN_SECRET_LENGTH characters. */
export function checkPrincipalSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0 || secrets.some((s) => s.length < PRINCIPAL_MIN_SECRET_LENGTH)) {
    throw new Error(
      `PRINCIPAL_SIGNING_SECRET: every secret must be at least ${PRINCIPAL_MIN_SECRET_LENGTH} characters`,
    );
  }
}
