/**
 * multipart/mixed as OData `$batch` writes it (RFC 2046), read the same way by the emulated ERP
 * (batch requests) and the subgraphs (batch answers).
 */

/** A MIME part or embedded HTTP message: header names lower-cased, and what follows them. */
export type HeaderBlock = { headers: Record<string, string>; body: string };

/**
 * Splits `headers CRLF CRLF body` (bare LF tolerated), as OData `$batch` parts and the HTTP
 * messages inside them are written; undefined when a header line has no name.
 */
export function splitHeaderBlock(text: string): HeaderBlock | undefined {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/**
 * The parts of a multipart body (preamble and epilogue ignored, CRLF or LF line ends, padding
 * after a delimiter allowed; the line break before a delimiter belongs to it), or what is wrong
 * with it. Found with `indexOf`, not line by line: a batch answer is mostly long JSON lines.
 */
export function splitMultipart(
  body: string,
  boundary: string,
): { parts: string[] } | { problem: string } {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let at = delimiterLine(body, delimiter, 0);
  if (!at) return { problem: `no part delimited by '${delimiter}'` };
  if (at.closing) return { problem: 'closing delimiter before any part' };
  let start = at.next;
  for (at = delimiterLine(body, delimiter, start); at; at = delimiterLine(body, delimiter, start)) {
    parts.push(body.slice(start, lineEndBefore(body, at.index)));
    if (at.closing) return { parts };
    start = at.next;
  }
  return { problem: `missing closing delimiter '${delimiter}--'` };
}

type Delimiter = { index: number; closing: boolean; next: number };

/** The next line from `from` on that is `delimiter` or `delimiter--`, padding aside. */
function delimiterLine(body: string, delimiter: string, from: number): Delimiter | undefined {
  for (let index = body.indexOf(delimiter, from); index >= 0;) {
    if (index === 0 || body[index - 1] === '\n') {
      let end = index + delimiter.length;
      const closing = body.startsWith('--', end);
      if (closing) end += 2;
      const newline = body.indexOf('\n', end);
      const lineEnd = newline < 0 ? body.length : newline;
      if (body.slice(end, lineEnd).trim() === '') {
        return { index, closing, next: newline < 0 ? body.length : newline + 1 };
      }
    }
    index = body.indexOf(delimiter, index + 1);
  }
  return undefined;
}

/** Where the line break before position `index` starts (the break belongs to the delimiter). */
function lineEndBefore(body: string, index: number): number {
  let end = index;
  if (body[end - 1] === '\n') end -= 1;
  if (body[end - 1] === '\r') end -= 1;
  return end;
}
