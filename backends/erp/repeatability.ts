import { createHash } from 'node:crypto';
import { header, HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { MESSAGES } from './settlement-messages.ts';

/** How long the emulator remembers a repeatable request (the OASIS spec leaves this to the service). */
export const REPEATABILITY_WINDOW_MS = 24 * 3_600_000;
const REQUEST_ID_RE = /^[\x21-\x7e]{1,100}$/;

type Entry = { fingerprint: string; response: HttpResponse; storedAt: number };

/**
 * OASIS "Repeatable Requests Version 1.0" (the OData extension SAP Gateway/RAP supports): a POST
 * carrying `Repeatability-Request-ID` (optionally `Repeatability-Client-ID`,
 * `Repeatability-First-Sent` as an IMF-fixdate) is executed once; repeating it with the same id and
 * the same method, URL and body returns the original response again. Responses to such requests
 * carry `Repeatability-Result: accepted`; refused repeats `rejected`. Only successful (2xx)
 * outcomes are remembered, so a request that failed may be retried with the same id.
 */
export class RepeatabilityStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly windowMs = REPEATABILITY_WINDOW_MS) {}

  /** Runs `execute` at most once per request id; the caller renders thrown errors. */
  run(req: HttpRequest, execute: () => HttpResponse): HttpResponse {
    const requestId = header(req, 'repeatability-request-id');
    if (requestId === undefined) return execute();
    const rejected = (status: number, message: string, target: string): never => {
      throw new HttpError(status, MESSAGES.repeatability, message, {
        target,
        headers: { 'repeatability-result': 'rejected' },
      });
    };
    if (!REQUEST_ID_RE.test(requestId)) {
      rejected(400, 'Repeatability-Request-ID is malformed', 'Repeatability-Request-ID');
    }
    const firstSent = header(req, 'repeatability-first-sent');
    const now = Date.now();
    if (firstSent !== undefined) {
      const sentAt = Date.parse(firstSent);
      if (Number.isNaN(sentAt)) {
        rejected(400, 'Repeatability-First-Sent is not an IMF-fixdate', 'Repeatability-First-Sent');
      }
      if (now - sentAt > this.windowMs) {
        rejected(
          412,
          'Repeatability-First-Sent is older than the period the service remembers requests',
          'Repeatability-First-Sent',
        );
      }
    }
    const key = `${header(req, 'repeatability-client-id') ?? ''}\u0000${requestId}`;
    const fingerprint = fingerprintOf(req);
    const known = this.entries.get(key);
    if (known && now - known.storedAt <= this.windowMs) {
      if (known.fingerprint !== fingerprint) {
        rejected(
          422,
          `Repeatability-Request-ID '${requestId}' was already used for a different request`,
          'Repeatability-Request-ID',
        );
      }
      return known.response;
    }
    let response: HttpResponse;
    try {
      response = execute();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      throw new HttpError(error.status, error.code, error.message, {
        ...error.options,
        headers: { ...error.options.headers, 'repeatability-result': 'accepted' },
      });
    }
    const accepted: HttpResponse = {
      ...response,
      headers: { ...response.headers, 'repeatability-result': 'accepted' },
    };
    if (response.status >= 200 && response.status < 300) {
      this.entries.set(key, { fingerprint, response: accepted, storedAt: now });
    }
    return accepted;
  }

  reset(): void {
    this.entries.clear();
  }
}

/** Method, path and body (JSON canonicalised, so key order and whitespace do not matter). */
function fingerprintOf(req: HttpRequest): string {
  let body: string;
  try {
    body = canonical(JSON.parse(req.body.toString('utf8')));
  } catch {
    body = req.body.toString('base64');
  }
  return createHash('sha256').update(`${req.method} ${req.path}\n${body}`).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
