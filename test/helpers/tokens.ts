import { createHmac, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { devPrivateKey, signDevToken } from '../../policies/dev-keys/dev-token.ts';

/** Hand-made JWS for the authentication tests: any header, any payload, any (wrong) key. */
export const DEV_RSA = createPrivateKey(devPrivateKey('RS256'));
export const DEV_EC = createPrivateKey(devPrivateKey('ES256'));
export const ISSUER = 'https://auth.promotions.local';
export const AUDIENCE = 'promotions-graph';

export const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims of a valid internal token, relative to `now` (seconds). */
export function claims(
  overrides: Record<string, unknown> = {},
  now = nowSeconds(),
): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: now - 5,
    nbf: now - 5,
    exp: now + 600,
    token_class: 'internal',
    scope: 'promotion:read',
    ...overrides,
  };
}

export type SignAs =
  | { alg: 'RS256' | 'RS512' | 'PS256'; key: KeyObject }
  | { alg: 'ES256'; key: KeyObject }
  | { alg: 'HS256' | 'HS512'; secret: string | Buffer }
  | { alg: 'none' };

/** Signs `header.payload` exactly as given (no claim validation), the way an attacker could. */
export function craft(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | string,
  as: SignAs,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  let signature: Buffer;
  switch (as.alg) {
    case 'none':
      signature = Buffer.alloc(0);
      break;
    case 'HS256':
    case 'HS512':
      signature = createHmac(as.alg === 'HS256' ? 'sha256' : 'sha512', as.secret)
        .update(input)
        .digest();
      break;
    case 'ES256':
      signature = sign('sha256', Buffer.from(input), { key: as.key, dsaEncoding: 'ieee-p1363' });
      break;
    case 'PS256':
      signature = sign('sha256', Buffer.from(input), {
        key: as.key,
        padding: 6, // RSA_PKCS1_PSS_PADDING
        saltLength: 32,
      });
      break;
    default:
      signature = sign(as.alg === 'RS512' ? 'sha512' : 'sha256', Buffer.from(input), as.key);
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** A valid RS256 token from the development key, with claim and header overrides. */
export function rs256(
  overrides: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): string {
  return craft({ alg: 'RS256', typ: 'JWT', kid: 'dev-rsa-1', ...header }, claims(overrides), {
    alg: 'RS256',
    key: DEV_RSA,
  });
}

/** A valid ES256 token from the development key, with claim and header overrides. */
export function es256(
  overrides: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): string {
  return craft({ alg: 'ES256', typ: 'JWT', kid: 'dev-ec-1', ...header }, claims(overrides), {
    alg: 'ES256',
    key: DEV_EC,
  });
}

export type TestTokenClaims = {
  scopes: readonly string[];
  /** Default internal. */
  tokenClass?: string;
  subject?: string;
  channel?: string;
  partnerId?: string;
  vendorId?: string;
};

/** A development token the test stack's gateway accepts (RS256, 10 minutes). */
export function devToken(claims: TestTokenClaims): string {
  return signDevToken({
    subject: claims.subject ?? 'test-user',
    scopes: claims.scopes,
    tokenClass: claims.tokenClass ?? 'internal',
    ...(claims.channel ? { channel: claims.channel } : {}),
    ...(claims.partnerId ? { partnerId: claims.partnerId } : {}),
    ...(claims.vendorId ? { vendorId: claims.vendorId } : {}),
    issuer: ISSUER,
    audience: AUDIENCE,
    ttlSeconds: 600,
  });
}
