import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGatewayServer, type RunningGateway } from '../../../gateway/server.ts';
import { startTinyFederation } from '../../fixtures/tiny-federation.ts';
import { TEST_PRINCIPAL_SECRET } from '../../helpers/principal.ts';

describe('gateway server over a tiny federation', () => {
  let federation: Awaited<ReturnType<typeof startTinyFederation>>;
  let gateway: RunningGateway;
  let base: string;

  before(async () => {
    federation = await startTinyFederation();
    gateway = await createGatewayServer({
      supergraphSdl: federation.supergraphSdl,
      subgraphUrls: { alpha: federation.alpha.url, beta: federation.beta.url },
      environment: 'production',
      principalSecret: TEST_PRINCIPAL_SECRET,
      maxBodyBytes: 2048,
    }).listen(0);
    base = gateway.url.replace(/\/graphql$/, '');
  });
  after(async () => {
    await gateway.close();
    await federation.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  test('joins an entity across two subgraphs', async () => {
    const res = await post({ query: '{ thing(id: "7") { id name extra } }' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      data: { thing: { id: '7', name: 'thing 7', extra: 'extra 7' } },
    });
  });

  test('serves GET queries', async () => {
    const res = await fetch(
      `${gateway.url}?query=${encodeURIComponent('{ thing(id: "1") { name } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    assert.deepEqual(await res.json(), { data: { thing: { name: 'thing 1' } } });
  });

  test('masks unexpected errors in production, keeping the path', async () => {
    const res = await post({ query: '{ boom }' });
    const body = (await res.json()) as {
      errors: { message: string; path: string[]; extensions: object }[];
    };
    assert.deepEqual(body.errors, [
      {
        message: 'Internal server error',
        path: ['boom'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });

  test('passes typed subgraph errors through with their code', async () => {
    const res = await post({ query: '{ typed }' });
    const body = (await res.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    assert.equal(body.errors[0]?.message, 'thing is gone');
    assert.equal(body.errors[0]?.extensions.code, 'NOT_FOUND');
  });

  test('rejects an invalid operation with GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await post({ query: '{ nope }' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    assert.equal(body.errors[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(body.errors[0]?.message, 'Cannot query field "nope" on type "Query".');
  });

  test('refuses a body over the limit with 413', async () => {
    const res = await post({ query: `{ thing(id: "${'x'.repeat(4096)}") { id } }` });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      errors: [{ message: 'Request body exceeds 2048 bytes', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('refuses malformed JSON with 400', async () => {
    const res = await post('{"query": ');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('health/live answers 200', async () => {
    const res = await fetch(`${base}/health/live`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'live' });
  });

  test('health/ready answers 200 when every subgraph is up', async () => {
    const res = await fetch(`${base}/health/ready`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'ready',
      supergraph: 'loaded',
      subgraphs: { alpha: 'up', beta: 'up' },
      down: [],
    });
  });

  test('metrics are Prometheus text with operation counters', async () => {
    await post({ query: '{ thing(id: "2") { id } }' });
    await post({ query: 'query ThingByName { thing(id: "2") { id name } }' });
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /gateway_graphql_operations_total\{type="query",outcome="ok"\} \d+/);
    assert.match(text, /gateway_graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\} 1/);
    // Latency per operation name (anonymous ones together) and per subgraph fetched.
    assert.match(
      text,
      /^gateway_graphql_duration_seconds_count\{type="query",operation="ThingByName"\} 1$/m,
    );
    assert.match(
      text,
      /^gateway_graphql_duration_seconds_count\{type="query",operation="anonymous"\} \d+$/m,
    );
    assert.match(
      text,
      /^gateway_subgraph_fetch_duration_seconds_count\{subgraph="alpha",outcome="ok"\} [1-9]\d*$/m,
    );
  });
});

describe('gateway with a subgraph down', () => {
  test('health/ready is 503 naming the subgraph, and queries get BACKEND_UNAVAILABLE', async () => {
    const federation = await startTinyFederation();
    const gateway = await createGatewayServer({
      supergraphSdl: federation.supergraphSdl,
      subgraphUrls: { alpha: federation.alpha.url, beta: federation.beta.url },
      environment: 'production',
      principalSecret: TEST_PRINCIPAL_SECRET,
    }).listen(0);
    try {
      await federation.beta.close();
      const ready = await fetch(gateway.url.replace(/\/graphql$/, '/health/ready'));
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), {
        status: 'unavailable',
        supergraph: 'loaded',
        subgraphs: { alpha: 'up', beta: 'down' },
        down: ['beta'],
      });
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ thing(id: "3") { name extra } }' }),
      });
      const body = (await res.json()) as { data: unknown; errors: unknown[] };
      assert.deepEqual(body.data, { thing: { name: 'thing 3', extra: null } });
      assert.deepEqual(body.errors, [
        {
          message: 'subgraph beta is unavailable',
          extensions: { code: 'BACKEND_UNAVAILABLE', serviceName: 'beta' },
        },
      ]);
      const scraped = await fetch(gateway.url.replace(/\/graphql$/, '/metrics'));
      assert.match(
        await scraped.text(),
        /^gateway_subgraph_fetch_duration_seconds_count\{subgraph="beta",outcome="error"\} 1$/m,
      );
    } finally {
      await gateway.close();
      await federation.alpha.close();
    }
  });
});
