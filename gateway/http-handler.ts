import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, HeaderMap } from '@apollo/server';
import { sendGraphQLError, sendJson, serveGraphQL } from '../contracts/runtime/apollo-node-http.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from '../contracts/runtime/telemetry/logger.ts';
import { GRAPHIQL_PATH, isBrowserVisit } from './graphiql/serve-graphiql.ts';
import type { GatewayContext } from './principal.ts';
import { isUnder, type BundleRoute } from './static-bundle/serve-bundle.ts';
import { TOWER_PATH } from './tower/serve-tower.ts';
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
  /** The control tower page, `/tower` and below (gateway/tower/serve-tower.ts). Default: 404. */
  tower?: BundleRoute;
  /**
   * GraphiQL, `/graphiql` and below (gateway/graphiql/serve-graphiql.ts); a browser opening
   * `/graphql` is redirected there. Default: 404, and `/graphql` is only the API.
   */
  graphiql?: BundleRoute;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>` carries `token`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? '';
  // Digests of equal length: neither the token's length nor its prefix shows in the timing.
  return timingSafeEqual(sha256(presented), sha256(token));
}

/**
 * The gateway's HTTP surface on node:http: /graphql (POST, GET), /health/live, /health/ready,
 * /metrics, and the pages /tower and /graphiql when given. GraphQL requests go through Apollo
 * Server's pipeline (and so every plugin).
 */
export function createHttpHandler(routes: HttpRoutes) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway');
    } catch {
      return sendGraphQLError(res, 400, 'The request target is not a valid URL', 'BAD_REQUEST');
    }
    if (routes.tower && isUnder(TOWER_PATH, url.pathname)) return routes.tower(req, res, url);
    if (routes.graphiql && isUnder(GRAPHIQL_PATH, url.pathname)) {
      return routes.graphiql(req, res, url);
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
        if (routes.graphiql && isBrowserVisit(req, url)) {
          res.writeHead(302, {
            location: `${GRAPHIQL_PATH}/`,
            'content-type': 'text/plain; charset=utf-8',
            'cache-control': 'no-store',
            vary: 'accept',
          });
          res.end(`${GRAPHIQL_PATH}/\n`);
          return;
        }
        break;
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') {
      const message = `Method ${method} is not allowed on /graphql`;
      return sendGraphQLError(res, 405, message, 'BAD_REQUEST');
    }
    // The request's id, answered whatever the outcome: what a caller quotes to find its lines.
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    return serveGraphQL(req, res, url, {
      apollo: routes.apollo,
      maxBodyBytes: routes.maxBodyBytes,
      requestProblem: requestShapeProblem,
      // The connection's address keys anonymous callers' throttling (no proxy header is trusted).
      context: async (headers) => ({
        ...(await routes.context(headers)),
        ...(req.socket.remoteAddress ? { clientAddress: req.socket.remoteAddress } : {}),
        requestId,
      }),
    });
  };
}
