import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTinyFederation } from '../../fixtures/tiny-federation.ts';
import { principalHeaders } from '../../helpers/principal.ts';

/**
 * A subgraph's HTTP surface (subgraphs/shared/subgraph-server.ts over the shared
 * contracts/runtime/apollo-node-http.ts): the forwarded principal before anything else, then the
 * same body limit and refusals as the gateway.
 */
describe('subgraph HTTP', () => {
  let federation: Awaited<ReturnType<typeof startTinyFederation>>;
  before(async () => {
    federation = await startTinyFederation();
  });
  after(() => federation.close());

  const post = (body: string, headers: Record<string, string> = principalHeaders()) =>
    fetch(federation.alpha.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const refusal = (message: string, code: string) => ({
    errors: [{ message, extensions: { code } }],
  });

  test('a signed principal: the query runs', async () => {
    const res = await post(JSON.stringify({ query: '{ thing(id: "1") { name } }' }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { thing: { name: 'thing 1' } } });
  });

  test('no principal: 401 UNAUTHENTICATED, before the body is read or parsed', async () => {
    const missing = await post(JSON.stringify({ query: '{ thing(id: "1") { name } }' }), {});
    assert.equal(missing.status, 401);
    assert.deepEqual(
      await missing.json(),
      refusal('invalid gateway principal: missing', 'UNAUTHENTICATED'),
    );
    const huge = await post(JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }), {});
    assert.equal(huge.status, 401);
    const broken = await post('{"query": ', { 'x-gateway-principal': 'forged' });
    assert.equal(broken.status, 401);
  });

  test('with a principal: a body over 1 MiB is 413, invalid JSON 400', async () => {
    const huge = await post(JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }));
    assert.equal(huge.status, 413);
    assert.deepEqual(
      await huge.json(),
      refusal('Request body exceeds 1048576 bytes', 'BAD_REQUEST'),
    );
    const broken = await post('{"query": ');
    assert.equal(broken.status, 400);
    assert.deepEqual(await broken.json(), refusal('Request body is not valid JSON', 'BAD_REQUEST'));
  });

  test('/health answers, anything else is 404', async () => {
    const base = federation.alpha.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/health`);
    assert.deepEqual([health.status, await health.json()], [200, { name: 'alpha', status: 'ok' }]);
    const other = await fetch(`${base}/nope`);
    assert.deepEqual([other.status, await other.json()], [404, { error: 'not found' }]);
  });
});
