import { TENANCY_CLAIMS, type AuthPolicy } from '../../policies/auth-policy.ts';
import type { Principal } from '../principal.ts';
import { TokenRejectedError } from './token-rejection.ts';
import type { VerifiedClaims } from './verify-token.ts';

const FIELD = { channel: 'channel', partner_id: 'partnerId', vendor_id: 'vendorId' } as const;

function scopesOf(claims: VerifiedClaims): string[] {
  const { scope, scp } = claims;
  if (scope !== undefined && scp !== undefined) throw new TokenRejectedError('claims');
  const raw = scope ?? scp;
  if (raw === undefined) return [];
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string' && !/\s/.test(item))) {
    return raw.filter(Boolean);
  }
  throw new TokenRejectedError('claims');
}

function clientIdOf(claims: VerifiedClaims): string | undefined {
  const raw = claims.azp ?? claims.client_id;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') throw new TokenRejectedError('claims');
  return raw;
}

/**
 * Verified claims → Principal, per the token class the `token_class` claim names. A token is
 * refused (`invalid token: class`) when its class is unknown, a required claim is missing, empty
 * or not an allowed value, or it carries a tenancy claim (channel, partner_id, vendor_id) its
 * class does not declare: such a token is ambiguous about what it may touch.
 */
export function principalFromClaims(
  claims: VerifiedClaims,
  tokenClasses: AuthPolicy['tokenClasses'],
): Principal {
  const className = claims.token_class;
  if (typeof className !== 'string' || !Object.hasOwn(tokenClasses, className)) {
    throw new TokenRejectedError('class');
  }
  const tokenClass = tokenClasses[className]!;
  const principal: Principal = {
    subject: claims.sub,
    tokenClass: className,
    scopes: scopesOf(claims),
  };
  for (const claim of TENANCY_CLAIMS) {
    const value = claims[claim];
    if (!tokenClass.requiredClaims.includes(claim)) {
      if (value !== undefined) throw new TokenRejectedError('class');
      continue;
    }
    const allowed = tokenClass.allowedValues[claim];
    if (typeof value !== 'string' || value === '' || (allowed && !allowed.includes(value))) {
      throw new TokenRejectedError('class');
    }
    principal[FIELD[claim]] = value;
  }
  const clientId = clientIdOf(claims);
  if (clientId !== undefined) principal.clientId = clientId;
  return principal;
}
