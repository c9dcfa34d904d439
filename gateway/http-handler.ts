import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GatewayContext } from './principal.ts';
import { requestShapeProblem } from './validation/request-shape.ts';

export type HttpRoutes = {
  apollo: ApolloServer<GatewayContext>;
  maxBodyBytes: number;
  /** Per-request context from the request headers (authenticates; may throw a 401). */
  context(headers: HeaderMap): Promise<GatewayContext>;
  live(): { status: number; body: unknown };
  ready(): Promise<{ status: number; body: unknown }>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /**
   * Bearer token /metrics requires (METRICS_TOKEN; config.ts makes it required in production):
   * without `Authorization: Bearer <it>`, 401. Default none: /metrics is open.
   */
  metricsToken?: string;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>` carries `token`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? '';
  // Digests of equal length: neither the token's length nor its prefix shows in the timing.
  return timingSafeEqual(sha256(presented), sha256(token));
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function graphqlError(res: ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The gateway's HTTP surface on node:http: /graphql (POST, GET), /health/live, /health/ready,
 * /metrics. GraphQL requests go through Apollo Server's pipeline (and so every plugin).
 */
export function createHttpHandler(routes: HttpRoutes) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway');
    } catch {
      return graphqlError(res, 400, 'The request target is not a valid URL', 'BAD_REQUEST');
    }
    switch (url.pathname) {
      case '/health/live': {
        const live = routes.live();
        return sendJson(res, live.status, live.body);
      }
      case '/health/ready': {
        const ready = await routes.ready();
        return sendJson(res, ready.status, ready.body);
      }
      case '/metrics': {
        if (routes.metricsToken && !bearerMatches(req.headers.authorization, routes.metricsToken)) {
          return sendJson(
            res,
            401,
            { error: 'unauthorized: /metrics requires Authorization: Bearer <METRICS_TOKEN>' },
            { 'www-authenticate': 'Bearer realm="metrics"' },
          );
        }
        const metrics = await routes.metrics();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(metrics.body);
        return;
      }
      case '/graphql':
        break;
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') {
      return graphqlError(res, 405, `Method ${method} is not allowed on /graphql`, 'BAD_REQUEST');
    }
    const raw = method === 'POST' ? await readBody(req, routes.maxBodyBytes) : Buffer.alloc(0);
    if (raw === undefined) {
      return graphqlError(
        res,
        413,
        `Request body exceeds ${routes.maxBodyBytes} bytes`,
        'BAD_REQUEST',
      );
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return graphqlError(res, 400, 'Request body is not valid JSON', 'BAD_REQUEST');
      }
    }
    const shapeProblem = requestShapeProblem(method, body, url.search);
    if (shapeProblem) return graphqlError(res, 400, shapeProblem, 'BAD_REQUEST');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await routes.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      // The connection's address keys anonymous callers' throttling (no proxy header is trusted).
      context: async () => ({
        ...(await routes.context(headers)),
        ...(req.socket.remoteAddress ? { clientAddress: req.socket.remoteAddress } : {}),
      }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
