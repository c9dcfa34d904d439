import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGatewayServer, type RunningGateway } from '../../../gateway/server.ts';
import { startTinyFederation } from '../../fixtures/tiny-federation.ts';
import { startHttpFixture } from '../../fixtures/http-fixture.ts';
import { TEST_PRINCIPAL_SECRET } from '../../helpers/principal.ts';

type Body = {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

type Fixture = Awaited<ReturnType<typeof startHttpFixture>>;

/** Counts subgraph calls: the witness that a refused request reached no subgraph. */
async function countingProxy(target: string): Promise<Fixture & { calls: () => number }> {
  let calls = 0;
  const fixture = await startHttpFixture((req, res) => {
    calls++;
    void (async () => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const upstream = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gateway-principal': String(req.headers['x-gateway-principal'] ?? ''),
        },
        body,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    })();
  });
  return Object.assign(fixture, { calls: () => calls });
}

for (const environment of ['production', 'development'] as const) {
  describe(`gateway hardening (${environment})`, () => {
    let federation: Awaited<ReturnType<typeof startTinyFederation>>;
    let alpha: Awaited<ReturnType<typeof countingProxy>>;
    let gateway: RunningGateway;

    before(async () => {
      federation = await startTinyFederation();
      alpha = await countingProxy(federation.alpha.url);
      gateway = await createGatewayServer({
        supergraphSdl: federation.supergraphSdl,
        subgraphUrls: { alpha: `${alpha.url}/graphql`, beta: federation.beta.url },
        environment,
        principalSecret: TEST_PRINCIPAL_SECRET,
      }).listen(0);
    });
    after(async () => {
      await gateway.close();
      await alpha.close();
      await federation.close();
    });

    const post = async (body: string, headers: Record<string, string> = {}) => {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: res.status, body: (await res.json()) as Body };
    };

    test('batched requests are refused with 400 BAD_REQUEST and reach no subgraph', async () => {
      const before = alpha.calls();
      const op = { query: '{ thing(id: "1") { name } }' };
      const res = await post(JSON.stringify([op, op, op]));
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
      assert.equal(res.body.errors?.[0]?.message, 'Operation batching disabled.');
      assert.equal(alpha.calls(), before);
    });

    test('CSRF: a simple-content-type POST and a GET without a preflight header are refused', async () => {
      const before = alpha.calls();
      const plain = await post(JSON.stringify({ query: '{ thing(id: "1") { name } }' }), {
        'content-type': 'text/plain',
      });
      assert.equal(plain.status, 400);
      const get = await fetch(
        `${gateway.url}?query=${encodeURIComponent('{ thing(id: "1") { name } }')}`,
      );
      assert.equal(get.status, 400);
      assert.match(await get.text(), /CSRF/);
      assert.equal(alpha.calls(), before);
    });

    test('a mutation over GET is refused', async () => {
      const get = await fetch(
        `${gateway.url}?query=${encodeURIComponent('mutation { __typename }')}`,
        { headers: { 'apollo-require-preflight': 'true' } },
      );
      assert.equal(get.status, 405);
    });

    test('an unexpected subgraph error shows no stack trace, internal URL or raw body', async () => {
      const res = await post(JSON.stringify({ query: '{ boom }' }));
      assert.equal(res.status, 200);
      const error = res.body.errors![0]!;
      assert.equal(error.message, 'Internal server error');
      assert.deepEqual(error.extensions, { code: 'INTERNAL_SERVER_ERROR' });
      const text = JSON.stringify(res.body);
      assert.ok(!text.includes('secret database password'), text);
      assert.ok(!text.includes('127.0.0.1'), text);
      assert.ok(!/\bat .*\.ts:\d+/.test(text), text);
    });

    test('a subgraph refusing the gateway principal is a masked server fault, not a 401', async () => {
      const bare = await createGatewayServer({
        supergraphSdl: federation.supergraphSdl,
        subgraphUrls: { alpha: federation.alpha.url, beta: federation.beta.url },
        environment,
        principalSecret: 'a-different-secret-than-the-subgraphs-hold!!',
      }).listen(0);
      try {
        const res = await fetch(bare.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ thing(id: "1") { name } }' }),
        });
        const body = (await res.json()) as Body;
        const text = JSON.stringify(body);
        assert.equal(res.status, 200);
        assert.deepEqual(body.errors?.[0]?.extensions, { code: 'INTERNAL_SERVER_ERROR' });
        assert.ok(!text.includes('127.0.0.1'), text);
      } finally {
        await bare.close();
      }
    });
  });
}
