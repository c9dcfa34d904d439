import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HeaderMap,
  type ApolloServer,
  type BaseContext,
  type HTTPGraphQLResponse,
} from '@apollo/server';

/**
 * Apollo Server on node:http, for the gateway (gateway/http-handler.ts) and the subgraphs
 * (subgraphs/shared/subgraph-server.ts) alike: the node request becomes Apollo's
 * HTTPGraphQLRequest (headers, JSON body within a size limit, search params) and Apollo's
 * response goes back (status, headers, a complete or incremental body).
 */
export type ApolloNodeHttpOptions<TContext extends BaseContext> = {
  apollo: ApolloServer<TContext>;
  /** Largest accepted request body: a larger one is refused (413) as soon as that is known. */
  maxBodyBytes: number;
  /**
   * A refusal before Apollo sees the request (400 BAD_REQUEST with this message), e.g. a body of
   * the wrong shape. Default none.
   */
  requestProblem?(method: string, body: unknown, search: string): string | undefined;
  /**
   * The request's context. May throw a GraphQLError with `extensions.http.status` (e.g. 401):
   * Apollo answers it through its own error formatting, before anything executes.
   */
  context(headers: HeaderMap, req: IncomingMessage): Promise<TContext>;
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A refusal in GraphQL's response shape, for errors raised before Apollo runs. */
export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** The whole body, or undefined once it is (or declares to be) over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * Serves one GraphQL request (GET or POST; other methods are Apollo's to refuse). The body is
 * read for POST only: over the limit 413, not JSON 400, both BAD_REQUEST in GraphQL's shape.
 */
export async function serveGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: ApolloNodeHttpOptions<TContext>,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = method === 'POST' ? await readBody(req, options.maxBodyBytes) : Buffer.alloc(0);
  if (raw === undefined) {
    const message = `Request body exceeds ${options.maxBodyBytes} bytes`;
    return sendGraphQLError(res, 413, message, 'BAD_REQUEST');
  }
  let body: unknown;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendGraphQLError(res, 400, 'Request body is not valid JSON', 'BAD_REQUEST');
    }
  }
  const problem = options.requestProblem?.(method, body, url.search);
  if (problem) return sendGraphQLError(res, 400, problem, 'BAD_REQUEST');
  const headers = headerMapOf(req);
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search: url.search, body },
    context: () => options.context(headers, req),
  });
  await writeResponse(res, response);
}
