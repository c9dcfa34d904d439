/** A MIME part or embedded HTTP message: header names lower-cased, and what follows them. */
export type HeaderBlock = { headers: Record<string, string>; body: string };

/**
 * Splits `headers CRLF CRLF body` (bare LF tolerated), as OData `$batch` parts and the HTTP
 * messages inside them are written; undefined when a header line has no name. Shared by the
 * emulated ERP, which reads batch requests, and the subgraphs, which read batch answers.
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
