import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';

/** `kid` of each development key in jwks.json (see generate.ts). */
export const DEV_KEY_IDS = { RS256: 'dev-rsa-1', ES256: 'dev-ec-1' } as const;
export type DevAlgorithm = keyof typeof DEV_KEY_IDS;

const PRIVATE_KEY_FILES: Record<DevAlgorithm, string> = {
  RS256: 'rsa-private.pem',
  ES256: 'ec-private.pem',
};

export type DevTokenClaims = {
  subject: string;
  scopes: readonly string[];
  /** `token_class` claim: a class of policies/auth.yaml. */
  tokenClass: string;
  channel?: string;
  partnerId?: string;
  vendorId?: string;
  /** `azp` claim. */
  clientId?: string;
};

export type DevTokenOptions = DevTokenClaims & {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Default RS256. */
  alg?: DevAlgorithm;
  /** Clock (ms). Default Date.now. */
  now?: () => number;
};

/** The private development key for `alg` (PEM). Development only: these keys are public. */
export function devPrivateKey(alg: DevAlgorithm): string {
  return readFileSync(join(import.meta.dirname, PRIVATE_KEY_FILES[alg]), 'utf8');
}

/**
 * The claims of a token as policies/auth.yaml reads them (iss, aud, sub, iat, nbf, exp,
 * token_class, scope, and the tenancy claims that are set). Shared by the development tokens and
 * the benchmark's tokens, which sign the same claims with a key of their own.
 */
export function tokenPayload(
  options: DevTokenClaims & { issuer: string; audience: string; ttlSeconds: number },
  nowMs: number = Date.now(),
): Record<string, unknown> {
  const iat = Math.floor(nowMs / 1000);
  const payload: Record<string, unknown> = {
    iss: options.issuer,
    aud: options.audience,
    sub: options.subject,
    iat,
    nbf: iat,
    exp: iat + options.ttlSeconds,
    token_class: options.tokenClass,
    scope: options.scopes.join(' '),
  };
  if (options.channel !== undefined) payload.channel = options.channel;
  if (options.partnerId !== undefined) payload.partner_id = options.partnerId;
  if (options.vendorId !== undefined) payload.vendor_id = options.vendorId;
  if (options.clientId !== undefined) payload.azp = options.clientId;
  return payload;
}

/** Signs a token with the development key, as the embedded default's gateway verifies it. */
export function signDevToken(options: DevTokenOptions): string {
  const alg = options.alg ?? 'RS256';
  const payload = tokenPayload(options, (options.now ?? Date.now)());
  return jwt.sign(payload, devPrivateKey(alg), { algorithm: alg, keyid: DEV_KEY_IDS[alg] });
}
