import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { serveGraphQL } from '../../../contracts/runtime/apollo-node-http.ts';

type Context = BaseContext & { caller: string };

/**
 * The one node:http ↔ Apollo Server glue, used by the gateway and every subgraph: request in
 * (headers, body within the limit, search params), response out, refusals in GraphQL's shape.
 */
describe('serveGraphQL (contracts/runtime/apollo-node-http.ts)', () => {
  const apollo = new ApolloServer<Context>({
    includeStacktraceInErrorResponses: false,
    typeDefs: 'type Query { caller: String, echo(text: String): String }',
    resolvers: {
      Query: {
        caller: (_root, _args, context: Context) => context.caller,
        echo: (_root, args: { text: string }) => args.text,
      },
    },
  });
  let server: Server;
  let url: string;
  before(async () => {
    await apollo.start();
    server = createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://test');
      void serveGraphQL(req, res, target, {
        apollo,
        maxBodyBytes: 256,
        requestProblem: (_method, body) =>
          (body as { query?: unknown } | undefined)?.query === 42
            ? 'query must be a string'
            : undefined,
        context: async (headers) => {
          const caller = headers.get('x-caller');
          if (caller === 'nobody') {
            throw new GraphQLError('who are you?', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
          return { caller: caller ?? 'anonymous' };
        },
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await apollo.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const refusal = (message: string, code: string) => ({
    errors: [{ message, extensions: { code } }],
  });

  test('POST: headers reach the context, the answer comes back whole', async () => {
    const res = await post(JSON.stringify({ query: '{ caller }' }), { 'x-caller': 'merch-ui' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { data: { caller: 'merch-ui' } });
  });

  test('GET: the search params are the request', async () => {
    const query = encodeURIComponent('{ echo(text: "hi") }');
    const res = await fetch(`${url}?query=${query}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    assert.deepEqual(await res.json(), { data: { echo: 'hi' } });
  });

  test("Apollo's own checks still apply (CSRF prevention, methods)", async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent('{ caller }')}`);
    assert.equal(get.status, 400);
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(put.status, 405);
  });

  test('a body over the limit: 413, whether declared or streamed', async () => {
    const big = JSON.stringify({ query: `{ echo(text: "${'x'.repeat(300)}") }` });
    const declared = await post(big);
    assert.equal(declared.status, 413);
    assert.deepEqual(
      await declared.json(),
      refusal('Request body exceeds 256 bytes', 'BAD_REQUEST'),
    );
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => (body += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(big.slice(0, 200)); // chunked: no content-length to refuse up front
      req.end(big.slice(200));
    });
    assert.equal(streamed.status, 413);
    assert.deepEqual(
      JSON.parse(streamed.body),
      refusal('Request body exceeds 256 bytes', 'BAD_REQUEST'),
    );
  });

  test('refusals before Apollo: not JSON, and the caller’s request problem, 400 BAD_REQUEST', async () => {
    const notJson = await post('{"query": ');
    assert.equal(notJson.status, 400);
    assert.deepEqual(
      await notJson.json(),
      refusal('Request body is not valid JSON', 'BAD_REQUEST'),
    );
    const shape = await post(JSON.stringify({ query: 42 }));
    assert.equal(shape.status, 400);
    assert.deepEqual(await shape.json(), refusal('query must be a string', 'BAD_REQUEST'));
  });

  test('a context that refuses answers with its status and code, through Apollo', async () => {
    const res = await post(JSON.stringify({ query: '{ caller }' }), { 'x-caller': 'nobody' });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), refusal('who are you?', 'UNAUTHENTICATED'));
  });
});
