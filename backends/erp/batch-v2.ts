import { randomUUID } from 'node:crypto';
import { header, HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { sapCode } from '../odata/error-codes.ts';
import {
  formatBatchResponse,
  multipartBoundary,
  parseEmbeddedRequest,
  parseMultipart,
  type EmbeddedRequest,
  type EmbeddedResponse,
} from '../odata/multipart.ts';
import { v2Error } from '../odata/v2-envelope.ts';
import type { CsrfStore } from './csrf.ts';
import { csrfRefusal } from './v2-write-guard.ts';

/** Most requests in one `$batch`; more → 400. */
export const MAX_BATCH_PARTS = 100;

/** Handles one plain v2 request (the same routing as an HTTP GET of the service). */
export type V2Handler = (req: HttpRequest) => Promise<HttpResponse>;

/**
 * `POST <service root>/$batch` for read-only batches, as SAP Gateway answers it: a valid CSRF
 * token and session cookie are required (a `$batch` is a POST even when it only reads), the body
 * is multipart/mixed with one `application/http` part per GET, and the answer is `202` with one
 * `application/http` part per request, each with its own status, headers and body (a failing
 * part carries its own OData error). Each GET runs through `handle`, the plain GET routing.
 * Change sets (nested multipart) are refused with 501; anything but GET outside one with 400.
 */
export async function handleV2Batch(
  req: HttpRequest,
  service: string,
  servicePath: string,
  csrf: CsrfStore,
  handle: V2Handler,
): Promise<HttpResponse> {
  if (req.method !== 'POST') {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `$batch needs POST, got ${req.method}`, {
      headers: { allow: 'POST' },
    });
  }
  const refusal = csrfRefusal(req, csrf);
  if (refusal) return refusal;
  const boundary = multipartBoundary(header(req, 'content-type'));
  const parts = parseMultipart(req.body.toString('utf8'), boundary);
  if (parts.length > MAX_BATCH_PARTS) {
    throw new HttpError(
      400,
      'BAD_PAYLOAD',
      `$batch has ${parts.length} requests; at most ${MAX_BATCH_PARTS} are accepted`,
    );
  }
  const requests = parts.map((part) => {
    const type = (part.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/mixed')) {
      throw new HttpError(
        501,
        'NOT_IMPLEMENTED',
        'Change sets are not supported by the emulator: $batch is read-only (GET parts only)',
      );
    }
    const request = parseEmbeddedRequest(part);
    if (request.method !== 'GET') {
      throw new HttpError(
        400,
        'BAD_PAYLOAD',
        `Only GET is allowed outside a change set in a $batch, got ${request.method}`,
      );
    }
    return request;
  });
  const responses: EmbeddedResponse[] = [];
  for (const request of requests) {
    responses.push(await answerPart(req, request, service, servicePath, handle));
  }
  const answerBoundary = `batch_${randomUUID()}`;
  return {
    status: 202,
    headers: {
      'content-type': `multipart/mixed; boundary=${answerBoundary}`,
      dataserviceversion: '2.0',
    },
    body: formatBatchResponse(answerBoundary, responses),
  };
}

async function answerPart(
  outer: HttpRequest,
  request: EmbeddedRequest,
  service: string,
  servicePath: string,
  handle: V2Handler,
): Promise<EmbeddedResponse> {
  try {
    const { path, rawQuery } = resolveTarget(request.target, outer.origin, servicePath, service);
    // The part's own headers (no CSRF fetch inside a batch: tokens come from a plain GET).
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name !== 'x-csrf-token'),
    );
    const response = await handle({
      method: 'GET',
      path,
      rawQuery,
      headers,
      body: Buffer.alloc(0),
      origin: outer.origin,
    });
    return embedded(response);
  } catch (error) {
    return embedded(renderV2Error(error));
  }
}

/** The part's target as a path below this service: relative, absolute path or absolute URL. */
function resolveTarget(
  target: string,
  origin: string,
  servicePath: string,
  service: string,
): { path: string; rawQuery: string } {
  const q = target.indexOf('?');
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  let url: URL;
  try {
    url = new URL(q < 0 ? target : target.slice(0, q), `${origin}${servicePath}/`);
  } catch {
    throw new HttpError(400, 'BAD_URI', `Malformed request URI '${target}' in $batch`);
  }
  if (!url.pathname.startsWith(`${servicePath}/`)) {
    throw new HttpError(
      400,
      'BAD_URI',
      `Request URI '${target}' in a $batch of ${service} is outside the service`,
    );
  }
  // The query as written (not re-encoded), exactly as a plain GET's raw query reaches the router.
  return { path: url.pathname, rawQuery };
}

function embedded(response: HttpResponse): EmbeddedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (name.toLowerCase() === 'set-cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  let body = '';
  if (response.body === undefined || response.status === 204) body = '';
  else if (typeof response.body === 'string') body = response.body;
  else if (Buffer.isBuffer(response.body)) body = response.body.toString('utf8');
  else {
    body = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  return { status: response.status, headers, body };
}

/** The v2 error answer of a part, as the server renders a plain request's error. */
function renderV2Error(error: unknown): HttpResponse {
  const e =
    error instanceof HttpError
      ? error
      : new HttpError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
  return {
    status: e.status,
    headers: e.options.headers ?? {},
    body: v2Error(sapCode(e.code), e.message, e.options.target ? { target: e.options.target } : {}),
  };
}
