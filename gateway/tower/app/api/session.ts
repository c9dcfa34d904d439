/**
 * The signed-in token: kept in sessionStorage (this tab only, gone when it closes), sent as
 * `Authorization: Bearer` and in graphql-ws `connection_init`. Its claims are decoded here only
 * to decide what the page offers; the gateway verifies the token on every request.
 */
export type Session = {
  token: string;
  subject: string;
  tokenClass: string;
  scopes: readonly string[];
  vendorId: string | undefined;
  /** When the token expires (exp), if it says. */
  expiresAt: Date | undefined;
};

const KEY = 'tower.token';

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The session a pasted token gives, or why it cannot be one. */
export function sessionFromToken(raw: string, now = new Date()): Session | string {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3) return 'This is not a JWT (three dot-separated parts).';
  let claims: Record<string, unknown>;
  try {
    claims = decodeSegment(parts[1]!) as Record<string, unknown>;
  } catch {
    return 'The token payload is not readable JSON.';
  }
  const scopes =
    typeof claims.scope === 'string'
      ? claims.scope.split(' ').filter(Boolean)
      : Array.isArray(claims.scp)
        ? claims.scp.filter((s): s is string => typeof s === 'string')
        : [];
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  if (expiresAt && expiresAt <= now) return `The token expired at ${expiresAt.toISOString()}.`;
  return {
    token,
    subject: typeof claims.sub === 'string' ? claims.sub : '(no subject)',
    tokenClass: typeof claims.token_class === 'string' ? claims.token_class : '(no class)',
    scopes,
    vendorId: typeof claims.vendor_id === 'string' ? claims.vendor_id : undefined,
    expiresAt,
  };
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  const session = sessionFromToken(token);
  if (typeof session === 'string') {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
  return session;
}

export function storeSession(session: Session): void {
  sessionStorage.setItem(KEY, session.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
