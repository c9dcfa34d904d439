import { splitHeaderBlock, splitMultipart } from '../../contracts/protocol/multipart-mixed.ts';

/** One GET of a `$batch`: the resource relative to the service root, e.g. `A_Product?$top=1`. */
export type BatchGet = { resource: string; headers?: Readonly<Record<string, string>> };

/** One answer of a `$batch` part, or why the part could not be read. */
export type BatchPartAnswer =
  | { ok: true; status: number; headers: Record<string, string>; body: unknown }
  | { ok: false; reason: string };

/** The multipart/mixed body of a read-only OData v2 `$batch` (CRLF line ends, RFC 2046). */
export function formatBatchRequest(boundary: string, gets: readonly BatchGet[]): string {
  const lines: string[] = [];
  for (const get of gets) {
    lines.push(
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET ${get.resource} HTTP/1.1`,
      'Accept: application/json',
      ...Object.entries(get.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

/** The `boundary` of a multipart/mixed content type; undefined when it is not one. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const [type = '', ...params] = (contentType ?? '').split(';');
  if (type.trim().toLowerCase() !== 'multipart/mixed') return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** The parts of a multipart body; undefined when its delimiters are missing (`splitMultipart`). */
export function splitParts(body: string, boundary: string): string[] | undefined {
  const split = splitMultipart(body, boundary);
  return 'parts' in split ? split.parts : undefined;
}

/** `text` without the line breaks at its end. */
function trimLineBreaks(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** One `application/http` part of a `$batch` answer: status line, headers and (JSON) body. */
export function parseResponsePart(part: string): BatchPartAnswer {
  const mime = splitHeaderBlock(part.replace(/^(\r?\n)+/, ''));
  if (!mime) return { ok: false, reason: 'malformed part headers' };
  const type = (mime.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/http') {
    return { ok: false, reason: `part is ${type || 'untyped'}, not application/http` };
  }
  const text = mime.body.replace(/^(\r?\n)+/, '');
  const lineEnd = /\r?\n/.exec(text);
  const statusLine = lineEnd ? text.slice(0, lineEnd.index) : text;
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine.trim());
  if (!m) return { ok: false, reason: `bad status line '${statusLine.slice(0, 80)}'` };
  const http = splitHeaderBlock(lineEnd ? text.slice(lineEnd.index + lineEnd[0].length) : '');
  if (!http) return { ok: false, reason: 'malformed response headers' };
  const raw = trimLineBreaks(http.body);
  let body: unknown = raw;
  if (raw !== '' && (http.headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(raw);
    } catch {
      return { ok: false, reason: 'malformed JSON body' };
    }
  }
  return { ok: true, status: Number(m[1]), headers: http.headers, body };
}

/** Every part of a `$batch` answer; undefined when the envelope itself is unreadable. */
export function parseBatchResponse(
  contentType: string | undefined,
  body: string,
): BatchPartAnswer[] | undefined {
  const boundary = boundaryOf(contentType);
  if (!boundary) return undefined;
  return splitParts(body, boundary)?.map(parseResponsePart);
}
