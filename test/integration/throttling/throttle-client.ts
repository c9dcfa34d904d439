import { signDevToken } from '../../../policies/dev-keys/dev-token.ts';
import { AUDIENCE, ISSUER } from '../../helpers/tokens.ts';

export type ThrottledResponse = {
  status: number;
  /** The RateLimit-* and Retry-After response headers (lower-case names). */
  headers: Record<string, string>;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
};

/** POSTs an operation and keeps the rate-limit headers. `token` null: anonymous. */
export async function post(
  url: string,
  query: string,
  token: string | null,
  variables?: Record<string, unknown>,
): Promise<ThrottledResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (/^(ratelimit-|retry-after)/.test(name)) headers[name] = value;
  });
  return { status: res.status, headers, body: (await res.json()) as ThrottledResponse['body'] };
}

export type TokenFor = {
  tokenClass: 'channel-app' | 'partner' | 'internal';
  subject: string;
  scopes?: readonly string[];
  channel?: string;
  partnerId?: string;
  vendorId?: string;
  clientId?: string;
};

/** A development token the test gateways accept (RS256, 10 minutes), with an optional client id. */
export function tokenFor(claims: TokenFor): string {
  return signDevToken({
    scopes: ['promotion:read', 'promotion:write'],
    ...claims,
    issuer: ISSUER,
    audience: AUDIENCE,
    ttlSeconds: 600,
  });
}
