import { header, type HttpRequest, type HttpResponse } from '../http/types.ts';
import type { CsrfStore } from './csrf.ts';

/**
 * What SAP Gateway answers a modifying v2 request without a valid CSRF token and session cookie
 * (403, `x-csrf-token: Required`); undefined when the token is valid.
 */
export function csrfRefusal(req: HttpRequest, csrf: CsrfStore): HttpResponse | undefined {
  if (csrf.isValid(req)) return undefined;
  return {
    status: 403,
    headers: { 'x-csrf-token': 'Required', 'content-type': 'text/plain; charset=utf-8' },
    body: 'CSRF token validation failed',
  };
}

/** The method a v2 write means: a POST may tunnel MERGE, PATCH or DELETE in `X-HTTP-Method`. */
export function writeMethod(req: HttpRequest): string {
  const tunneled = req.method === 'POST' ? header(req, 'x-http-method')?.toUpperCase() : undefined;
  return tunneled ?? req.method;
}
