import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { BenchSubgraph } from './bench-subgraph.ts';

/** What a bench subgraph has received since it started (GET /bench/stats). */
export type SubgraphStats = {
  /** POST /graphql requests. */
  requests: number;
  /** ... of which carried an `authorization` header (a gateway forwarding it). */
  withAuthorization: number;
};

export type BenchSubgraphServerOptions = {
  subgraph: BenchSubgraph;
  /**
   * Answer a request body seen before from memory (keyed by the exact body: query, variables,
   * operationName). Keeps the subgraphs' CPU out of the comparison on a 2-core box (BENCH-ANCHOR §6),
   * the same for every gateway. Only for data that does not depend on the caller. Default true.
   */
  cacheResponses?: boolean;
  /** Most cached bodies; the cache is emptied when full. Default 10,000. */
  maxCacheEntries?: number;
};

export type RunningBenchSubgraph = { url: string; port: number; close(): Promise<void> };

type GraphQLBody = { query?: unknown; variables?: unknown; operationName?: unknown };

function send(res: ServerResponse, status: number, body: Buffer | string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A lean subgraph over node:http (no framework): `@apollo/subgraph`'s schema, a parse/validate
 * cache, graphql-js `execute`, and optionally a response cache. POST /graphql, GET /health,
 * GET /bench/stats. Built without side effects; `listen` starts it.
 */
export function createBenchSubgraphServer(options: BenchSubgraphServerOptions) {
  const schema: GraphQLSchema = buildSubgraphSchema([
    { typeDefs: parse(options.subgraph.typeDefs), resolvers: options.subgraph.resolvers as never },
  ]);
  const documents = new Map<string, DocumentNode>();
  const responses = new Map<string, Buffer>();
  const cacheResponses = options.cacheResponses ?? true;
  const maxCacheEntries = options.maxCacheEntries ?? 10_000;
  const stats: SubgraphStats = { requests: 0, withAuthorization: 0 };

  function documentFor(query: string): DocumentNode | readonly { message: string }[] {
    const cached = documents.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return [{ message: (error as Error).message }];
    }
    const errors = validate(schema, document);
    if (errors.length > 0) return errors.map((e) => ({ message: e.message }));
    if (documents.size >= maxCacheEntries) documents.clear();
    documents.set(query, document);
    return document;
  }

  async function answer(raw: string): Promise<{ status: number; body: Buffer }> {
    let body: GraphQLBody;
    try {
      body = JSON.parse(raw) as GraphQLBody;
    } catch {
      return { status: 400, body: Buffer.from('{"errors":[{"message":"invalid JSON"}]}') };
    }
    if (typeof body.query !== 'string') {
      return { status: 400, body: Buffer.from('{"errors":[{"message":"query is required"}]}') };
    }
    const document = documentFor(body.query);
    if (!('kind' in document)) {
      return { status: 400, body: Buffer.from(JSON.stringify({ errors: document })) };
    }
    const result = await execute({
      schema,
      document,
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    });
    return { status: 200, body: Buffer.from(JSON.stringify(result)) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return send(res, 200, '{"status":"ok"}');
    if (req.method === 'GET' && path === '/bench/stats')
      return send(res, 200, JSON.stringify(stats));
    if (req.method !== 'POST' || path !== '/graphql') {
      return send(res, 404, '{"errors":[{"message":"not found"}]}');
    }
    stats.requests++;
    if (req.headers.authorization !== undefined) stats.withAuthorization++;
    const raw = await readBody(req);
    const cached = cacheResponses ? responses.get(raw) : undefined;
    if (cached) return send(res, 200, cached);
    const { status, body } = await answer(raw);
    if (cacheResponses && status === 200 && !body.includes('"errors"')) {
      if (responses.size >= maxCacheEntries) responses.clear();
      responses.set(raw, body);
    }
    send(res, status, body);
  }

  return {
    async listen(port: number, host = '127.0.0.1'): Promise<RunningBenchSubgraph> {
      const server = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          console.error(`[${options.subgraph.name}] request failed`, error);
          if (!res.headersSent) send(res, 500, '{"errors":[{"message":"internal error"}]}');
          else res.destroy();
        });
      });
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      return {
        url: `http://${host}:${address.port}/graphql`,
        port: address.port,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
  };
}
