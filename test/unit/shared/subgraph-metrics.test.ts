import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createPrincipalVerifier } from '../../../subgraphs/shared/forwarded-principal.ts';
import {
  createSubgraphServer,
  type RunningSubgraph,
} from '../../../subgraphs/shared/subgraph-server.ts';
import { principalHeaders, TEST_PRINCIPAL_SECRETS } from '../../helpers/principal.ts';

/**
 * GET /metrics of a subgraph server (subgraphs/shared/subgraph-metrics.ts): duration per
 * operation name (bounded), errors by code, back-end calls by outcome and the circuit's state,
 * behind the metrics token; each server its own registry.
 */
const TOKEN = 'metrics-token-0123456789abcdef0123456789';

const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
type Query { thing: String  typed: String  erp(path: String!): String }`;

describe('subgraph metrics', () => {
  let erpServer: Server;
  let erp: BackendClient;
  let running: RunningSubgraph;
  let other: RunningSubgraph;

  before(async () => {
    // The "ERP": 200 on /ok, 503 on anything else.
    erpServer = createServer((req, res) => {
      res.writeHead(req.url === '/ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => erpServer.listen(0, '127.0.0.1', resolve));
    const port = (erpServer.address() as AddressInfo).port;
    erp = createBackendClient({
      name: 'erp',
      baseUrl: `http://127.0.0.1:${port}`,
      retries: 0,
      breakerThreshold: 1,
      breakerHalfOpenAfterMs: 60_000,
    });
    const schema = buildSubgraphSchema([
      {
        typeDefs: parse(sdl),
        resolvers: {
          Query: {
            thing: () => 'a thing',
            typed: () => {
              throw new GraphQLError('thing is gone', { extensions: { code: 'NOT_FOUND' } });
            },
            erp: async (_: unknown, { path }: { path: string }) => {
              await erp.request({ path }).catch(() => undefined);
              return path;
            },
          },
        } as never,
      },
    ]);
    const verifyPrincipal = createPrincipalVerifier({ secrets: TEST_PRINCIPAL_SECRETS });
    const server = (name: string, token?: string) =>
      createSubgraphServer({
        name,
        schema,
        context: () => ({}),
        verifyPrincipal,
        metrics: { ...(token ? { token } : {}), backends: [erp], maxOperations: 3 },
      }).listen(0);
    running = await server('alpha', TOKEN);
    other = await server('beta');
  });
  after(async () => {
    await Promise.all([running.close(), other.close()]);
    await erp.close();
    await new Promise((resolve) => erpServer.close(resolve));
  });

  const post = (url: string, body: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body,
    });
  const query = (url: string, source: string) => post(url, JSON.stringify({ query: source }));
  async function scrape(url = running.url, token: string | undefined = TOKEN): Promise<string[]> {
    const res = await fetch(url.replace('/graphql', '/metrics'), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return (await res.text()).split('\n');
  }
  const series = (lines: string[], prefix: string) =>
    lines.filter((line) => line.startsWith(prefix)).sort();

  test('without the token: 401, with the Bearer challenge', async () => {
    const url = running.url.replace('/graphql', '/metrics');
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`]) {
      const res = await fetch(url, authorization ? { headers: { authorization } } : {});
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      assert.deepEqual(await res.json(), {
        error: 'unauthorized: /metrics requires Authorization: Bearer <METRICS_TOKEN>',
      });
    }
  });

  test('duration per operation name; anonymous, unparsed and past the cap collapse', async () => {
    assert.equal((await query(running.url, 'query Thing { thing }')).status, 200);
    await query(running.url, 'query Thing { thing }');
    await query(running.url, '{ thing }');
    await query(running.url, 'query Second { thing }');
    await query(running.url, 'query Third { thing }'); // the cap: 3 names
    await query(running.url, 'query Fourth { thing }'); // past it: "other"
    await query(running.url, 'query Fifth { thing }');
    await query(running.url, '{ thing'); // not even parsed
    assert.deepEqual(series(await scrape(), 'subgraph_graphql_duration_seconds_count'), [
      'subgraph_graphql_duration_seconds_count{subgraph="alpha",operation="Second"} 1',
      'subgraph_graphql_duration_seconds_count{subgraph="alpha",operation="Thing"} 2',
      'subgraph_graphql_duration_seconds_count{subgraph="alpha",operation="Third"} 1',
      'subgraph_graphql_duration_seconds_count{subgraph="alpha",operation="anonymous"} 1',
      'subgraph_graphql_duration_seconds_count{subgraph="alpha",operation="other"} 2',
      'subgraph_graphql_duration_seconds_count{subgraph="alpha",operation="unknown"} 1',
    ]);
    assert.ok(
      (await scrape()).includes(
        'subgraph_graphql_duration_seconds_bucket{le="+Inf",subgraph="alpha",operation="Thing"} 2',
      ),
    );
  });

  test("the process's own series: CPU, resident memory, event-loop lag", async () => {
    const text = (await scrape()).join('\n');
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      assert.match(text, new RegExp(`^${name}\\{subgraph="alpha"\\} \\d`, 'm'), name);
    }
  });

  test('errors by extensions.code; each server counts only its own', async () => {
    const typed = await query(other.url, 'query Typed { typed }');
    assert.deepEqual(await typed.json(), {
      data: { typed: null },
      errors: [
        {
          message: 'thing is gone',
          locations: [{ line: 1, column: 15 }],
          path: ['typed'],
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
    await query(other.url, '{ nope }');
    await query(other.url, '{ thing');
    assert.deepEqual(series(await scrape(other.url, undefined), 'subgraph_graphql_errors_total'), [
      'subgraph_graphql_errors_total{code="GRAPHQL_PARSE_FAILED",subgraph="beta"} 1',
      'subgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED",subgraph="beta"} 1',
      'subgraph_graphql_errors_total{code="NOT_FOUND",subgraph="beta"} 1',
    ]);
    assert.deepEqual(
      series(await scrape(other.url, undefined), 'subgraph_graphql_duration_seconds_count'),
      [
        'subgraph_graphql_duration_seconds_count{subgraph="beta",operation="Typed"} 1',
        // Neither the invalid nor the unparsed document resolved an operation.
        'subgraph_graphql_duration_seconds_count{subgraph="beta",operation="unknown"} 2',
      ],
    );
  });

  test('back-end calls by outcome, and the circuit the failure opened', async () => {
    const before = series(await scrape(), 'subgraph_backend_circuit_state');
    assert.deepEqual(before, ['subgraph_backend_circuit_state{service="erp",subgraph="alpha"} 0']);
    await query(running.url, '{ erp(path: "/ok") }');
    await query(running.url, '{ erp(path: "/down") }'); // 503: an error, the circuit opens
    await query(running.url, '{ erp(path: "/ok") }'); // refused by the open circuit
    const lines = await scrape();
    assert.deepEqual(series(lines, 'subgraph_backend_calls_total'), [
      'subgraph_backend_calls_total{service="erp",outcome="circuit_open",subgraph="alpha"} 1',
      'subgraph_backend_calls_total{service="erp",outcome="error",subgraph="alpha"} 1',
      'subgraph_backend_calls_total{service="erp",outcome="ok",subgraph="alpha"} 1',
      'subgraph_backend_calls_total{service="erp",outcome="timeout",subgraph="alpha"} 0',
    ]);
    assert.deepEqual(series(lines, 'subgraph_backend_circuit_state'), [
      'subgraph_backend_circuit_state{service="erp",subgraph="alpha"} 1',
    ]);
  });
});
