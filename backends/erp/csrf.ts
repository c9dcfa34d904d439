import { randomBytes } from 'node:crypto';
import type { HttpRequest } from '../http/types.ts';
import { header } from '../http/types.ts';

export const CSRF_COOKIE = 'sap-XSRF_EMU_100';

/** CSRF tokens as SAP Gateway issues them: fetched on a GET, bound to a session cookie, expiring. */
export class CsrfStore {
  private readonly tokens = new Map<string, { cookie: string; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  /** Issues a token; returns the response headers to send. */
  issue(): Record<string, string> {
    const token = randomBytes(18).toString('base64');
    const cookie = randomBytes(24).toString('base64url');
    this.tokens.set(token, { cookie, expiresAt: Date.now() + this.ttlMs });
    return {
      'x-csrf-token': token,
      'set-cookie': `${CSRF_COOKIE}=${cookie}; path=/; HttpOnly`,
    };
  }

  /** A non-GET is valid when it carries an unexpired token and the cookie issued with it. */
  isValid(req: HttpRequest): boolean {
    const token = header(req, 'x-csrf-token');
    const entry = token ? this.tokens.get(token) : undefined;
    if (!entry || entry.expiresAt < Date.now()) return false;
    const cookies = header(req, 'cookie') ?? '';
    return cookies.split(';').some((c) => c.trim() === `${CSRF_COOKIE}=${entry.cookie}`);
  }

  reset(): void {
    this.tokens.clear();
  }
}
