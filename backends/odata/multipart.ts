import { splitHeaderBlock, splitMultipart } from '../../contracts/protocol/multipart-mixed.ts';
import { HttpError } from '../http/types.ts';

/** One body part of a multipart/mixed message: its headers (names lower-cased) and its body. */
export type MultipartPart = { headers: Record<string, string>; body: string };

/** One HTTP request carried in an `application/http` part of a `$batch`. */
export type EmbeddedRequest = {
  method: string;
  /** The request target as written (relative to the service root, or an absolute path/URL). */
  target: string;
  headers: Record<string, string>;
  body: string;
};

/** A response to write into an `application/http` part. */
export type EmbeddedResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
};

const BOUNDARY_RE = /^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/;

function malformed(message: string): HttpError {
  return new HttpError(400, 'BAD_PAYLOAD', `Malformed $batch body: ${message}`);
}

/** The `boundary` parameter of a `multipart/mixed` content type; 400 when missing or invalid. */
export function multipartBoundary(contentType: string | undefined): string {
  const [type = '', ...params] = (contentType ?? '').split(';');
  if (type.trim().toLowerCase() !== 'multipart/mixed') {
    throw malformed(`Content-Type must be multipart/mixed, got '${type.trim()}'`);
  }
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (!BOUNDARY_RE.test(value) || value.endsWith(' ')) {
      throw malformed(`invalid boundary '${value}'`);
    }
    return value;
  }
  throw malformed('Content-Type has no boundary parameter');
}

/** The parts of a multipart body (`splitMultipart`); 400 when a delimiter is missing. */
export function splitMultipartBody(body: string, boundary: string): string[] {
  const split = splitMultipart(body, boundary);
  if ('problem' in split) throw malformed(split.problem);
  return split.parts;
}

/** Splits `headers CRLF CRLF body`; header names lower-cased. Throws 400 on a bad header line. */
export function parseHeaderBlock(text: string): MultipartPart {
  const block = splitHeaderBlock(text);
  if (!block) throw malformed(`bad header line in '${text.slice(0, 80)}'`);
  return block;
}

/** The parts of a `$batch` body with their MIME headers. */
export function parseMultipart(body: string, boundary: string): MultipartPart[] {
  return splitMultipartBody(body, boundary).map(parseHeaderBlock);
}

/** The HTTP request inside an `application/http` part (`GET A_Product?$top=1 HTTP/1.1` ...). */
export function parseEmbeddedRequest(part: MultipartPart): EmbeddedRequest {
  const type = (part.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/http') {
    throw malformed(`a part must be application/http, got '${type || '(none)'}'`);
  }
  const text = part.body.replace(/^(\r?\n)+/, '');
  const lineEnd = /\r?\n/.exec(text);
  const requestLine = lineEnd ? text.slice(0, lineEnd.index) : text;
  const m = /^([A-Za-z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine.trim());
  if (!m) throw malformed(`bad request line '${requestLine}'`);
  const rest = lineEnd ? text.slice(lineEnd.index + lineEnd[0].length) : '';
  const inner = rest === '' ? { headers: {}, body: '' } : parseHeaderBlock(rest);
  return { method: m[1]!.toUpperCase(), target: m[2]!, headers: inner.headers, body: inner.body };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  414: 'Request-URI Too Long',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** A multipart/mixed `$batch` answer: one `application/http` part per response, CRLF line ends. */
export function formatBatchResponse(
  boundary: string,
  responses: readonly EmbeddedResponse[],
): string {
  const out: string[] = [];
  for (const r of responses) {
    const headers = { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) };
    out.push(
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `HTTP/1.1 ${r.status} ${REASONS[r.status] ?? 'Unknown'}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      '',
      r.body,
    );
  }
  out.push(`--${boundary}--`, '');
  return out.join('\r\n');
}
