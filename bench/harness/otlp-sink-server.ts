import { createServer } from 'node:http';

/**
 * The span sink of target a-otel (harness/otlp-sink.ts starts it as its own process): a bare
 * `node:http` server on 127.0.0.1:$PORT that takes OTLP/HTTP exports at POST /v1/traces, answers
 * 200 at once and only counts them. It never decodes a body: it counts requests and bytes and,
 * for JSON bodies (what @opentelemetry/exporter-trace-otlp-http sends), the occurrences of the
 * key `"spanId"` (one per span; `parentSpanId` does not match), a byte search, not a parse. For
 * protobuf bodies `spans` stays uncounted (`protobufExports`). GET /stats returns the totals.
 */
const SPAN_KEY = Buffer.from('"spanId"');

const stats = {
  exports: 0,
  bytes: 0,
  /** Spans in JSON exports (key count); protobuf exports are not counted here. */
  spans: 0,
  jsonExports: 0,
  protobufExports: 0,
  /** Exports whose Content-Encoding was not identity (gzip): spans not counted. */
  compressedExports: 0,
  /** Requests other than POST /v1/traces (answered 404). */
  other: 0,
};

function countKey(chunks: Buffer[]): number {
  // Chunks are joined so that a key split across two of them is still found.
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  let count = 0;
  for (let at = body.indexOf(SPAN_KEY); at !== -1; at = body.indexOf(SPAN_KEY, at + 1)) count++;
  return count;
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/traces') {
    stats.other++;
    req.resume();
    res.writeHead(404).end();
    return;
  }
  const type = req.headers['content-type'] ?? '';
  const json = type.includes('json');
  const compressed = (req.headers['content-encoding'] ?? 'identity') !== 'identity';
  const chunks: Buffer[] = [];
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (json && !compressed) chunks.push(chunk);
  });
  req.on('end', () => {
    stats.exports++;
    stats.bytes += bytes;
    if (compressed) stats.compressedExports++;
    if (json) {
      stats.jsonExports++;
      if (!compressed) stats.spans += countKey(chunks);
      // An empty ExportTraceServiceResponse: full success.
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else {
      stats.protobufExports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
