import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deduplicateInFlight } from '../../../gateway/subgraph-dedup.ts';
import type { SubgraphAnswer } from '../../../gateway/subgraph-response.ts';

/** A subgraph stand-in that answers when the test releases it, counting requests. */
function upstream() {
  const calls: string[] = [];
  const releases: (() => void)[] = [];
  const fetcher = async (
    _url: string,
    init?: { body?: unknown; headers?: unknown },
  ): Promise<SubgraphAnswer> => {
    calls.push(String(init?.body));
    await new Promise<void>((resolve) => releases.push(resolve));
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { n: calls.length } }),
    };
  };
  return { calls, fetcher, releaseAll: () => releases.splice(0).forEach((r) => r()) };
}

const query = (q: string) => JSON.stringify({ query: q, variables: {} });
const post = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json', ...headers },
});

describe('in-flight deduplication of subgraph requests', () => {
  test('identical concurrent queries are sent once; every caller gets the answer', async () => {
    const u = upstream();
    const fetch = deduplicateInFlight(u.fetcher);
    const body = query('{ topProducts { upc } }');
    const answers = [1, 2, 3].map(() => fetch('http://s/graphql', post(body)));
    await new Promise((r) => setImmediate(r));
    assert.equal(u.calls.length, 1);
    assert.equal(fetch.inFlight(), 1);
    u.releaseAll();
    const bodies = await Promise.all(answers.map(async (a) => JSON.parse((await a).body)));
    assert.deepEqual(bodies, [{ data: { n: 1 } }, { data: { n: 1 } }, { data: { n: 1 } }]);
    assert.equal(fetch.inFlight(), 0);
  });

  test('a different header (another principal, a forwarded authorization) is another request', async () => {
    const u = upstream();
    const fetch = deduplicateInFlight(u.fetcher);
    const body = query(
      'query($representations:[_Any!]!){_entities(representations:$representations){__typename}}',
    );
    const a = fetch('http://s/graphql', post(body, { authorization: 'Bearer one' }));
    const b = fetch('http://s/graphql', post(body, { authorization: 'Bearer two' }));
    await new Promise((r) => setImmediate(r));
    assert.equal(u.calls.length, 2);
    u.releaseAll();
    await Promise.all([a, b]);
  });

  test('mutations are never shared', async () => {
    const u = upstream();
    const fetch = deduplicateInFlight(u.fetcher);
    const body = query('mutation { createPromotionDraft(input: {}) { promotion { id } } }');
    const a = fetch('http://s/graphql', post(body));
    const b = fetch('http://s/graphql', post(body));
    await new Promise((r) => setImmediate(r));
    assert.equal(u.calls.length, 2);
    u.releaseAll();
    await Promise.all([a, b]);
  });

  test('nothing is cached: the same query after the first answered is sent again', async () => {
    const u = upstream();
    const fetch = deduplicateInFlight(u.fetcher);
    const body = query('{ me { id } }');
    const first = fetch('http://s/graphql', post(body));
    await new Promise((r) => setImmediate(r));
    u.releaseAll();
    await first;
    const second = fetch('http://s/graphql', post(body));
    await new Promise((r) => setImmediate(r));
    assert.equal(u.calls.length, 2);
    u.releaseAll();
    assert.deepEqual(JSON.parse((await second).body), { data: { n: 2 } });
  });

  test('a failure reaches every waiter, and the next request tries again', async () => {
    let calls = 0;
    const fetch = deduplicateInFlight(async (): Promise<SubgraphAnswer> => {
      calls++;
      await new Promise((r) => setImmediate(r));
      throw new Error('ECONNREFUSED');
    });
    const body = query('{ me { id } }');
    const results = await Promise.allSettled([
      fetch('http://s/graphql', post(body)),
      fetch('http://s/graphql', post(body)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(calls, 1);
    await fetch('http://s/graphql', post(body)).catch(() => undefined);
    assert.equal(calls, 2);
  });
});
