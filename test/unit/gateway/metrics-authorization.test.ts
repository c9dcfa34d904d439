import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ApolloServer } from '@apollo/server';
import { createHttpHandler, type HttpRoutes } from '../../../gateway/http-handler.ts';
import type { GatewayContext } from '../../../gateway/principal.ts';

const METRICS_TOKEN = 'metrics-token-for-this-test-0123456789';
const PROMETHEUS = '# HELP up 1 when up\n# TYPE up gauge\nup 1\n';

/** The HTTP surface with stub routes (no GraphQL is served here), on port 0. */
async function listen(metricsToken?: string): Promise<{ url: string; server: Server }> {
  const routes: HttpRoutes = {
    apollo: undefined as unknown as ApolloServer<GatewayContext>,
    maxBodyBytes: 1024,
    context: async () => ({}),
    live: () => ({ status: 200, body: { status: 'live' } }),
    ready: async () => ({ status: 200, body: { status: 'ready' } }),
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: PROMETHEUS }),
    ...(metricsToken ? { metricsToken } : {}),
  };
  const server = createServer(createHttpHandler(routes));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('GET /metrics authorization (METRICS_TOKEN)', () => {
  let guarded: { url: string; server: Server };
  let open: { url: string; server: Server };
  const metrics = (base: string, authorization?: string) =>
    fetch(`${base}/metrics`, { headers: authorization === undefined ? {} : { authorization } });

  before(async () => {
    guarded = await listen(METRICS_TOKEN);
    open = await listen();
  });
  after(() => {
    guarded.server.close();
    open.server.close();
  });

  test('with a token: 401 without it or with another one', async () => {
    for (const authorization of [
      undefined,
      '',
      'Bearer',
      'Bearer wrong-token',
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      `Basic ${METRICS_TOKEN}`,
      METRICS_TOKEN,
    ]) {
      const res = await metrics(guarded.url, authorization);
      assert.equal(res.status, 401, `authorization: ${authorization}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      assert.deepEqual(await res.json(), {
        error: 'unauthorized: /metrics requires Authorization: Bearer <METRICS_TOKEN>',
      });
    }
  });

  test('with a token: the metrics with `Authorization: Bearer <token>`', async () => {
    for (const authorization of [`Bearer ${METRICS_TOKEN}`, `bearer ${METRICS_TOKEN}`]) {
      const res = await metrics(guarded.url, authorization);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4');
      assert.equal(await res.text(), PROMETHEUS);
    }
  });

  test('the token guards /metrics only', async () => {
    const res = await fetch(`${guarded.url}/health/live`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'live' });
  });

  test('without a token (development): open', async () => {
    const res = await metrics(open.url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), PROMETHEUS);
  });
});
