import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { requestPipelinePlugin } from '../../../../gateway/plugins/request-pipeline.ts';
import { throttleStep } from '../../../../gateway/plugins/throttle.ts';
import type { GatewayContext } from '../../../../gateway/principal.ts';
import { createMemoryLimiterStore } from '../../../../gateway/throttling/memory-limiter-store.ts';
import type { ThrottlingPolicy } from '../../../../policies/throttling-policy.ts';

const budget = { points: 1000, mutationPoints: 100 };
const POLICY: ThrottlingPolicy = {
  windowSeconds: 60,
  channels: {
    ECOMMERCE: budget,
    MOBILE: budget,
    POS: budget,
    MARKETPLACE: budget,
    LOYALTY: budget,
    partner: budget,
    internal: budget,
    anonymous: { points: 6, mutationPoints: 2 },
  },
  partners: { default: budget, overrides: {} },
  subscriptions: { perClient: 20 },
};

/**
 * Seconds until the window ends depend on how long the test took: checks each is within the
 * window (1 to 60) and shows it as 'R' so that whole headers and bodies can be compared.
 */
function settled<T>(value: T): T {
  const check = (seconds: string) => {
    assert.ok(Number(seconds) >= 1 && Number(seconds) <= 60, `${seconds} s within the window`);
    return 'R';
  };
  return JSON.parse(
    JSON.stringify(value)
      .replace(
        /("ratelimit-reset":|"retry-after":)"(\d+)"/g,
        (_, key: string, s: string) => `${key}"${check(s)}"`,
      )
      .replace(/retry after (\d+) s/g, (_, s: string) => `retry after ${check(s)} s`)
      .replace(/"retryAfterSeconds":(\d+)/g, (_, s: string) => `"retryAfterSeconds":"${check(s)}"`),
  ) as T;
}

async function startServer(cost?: () => number) {
  let resolved = 0;
  const steps = [
    throttleStep({
      policy: () => POLICY,
      store: createMemoryLimiterStore(),
      ...(cost ? { cost } : {}),
    }),
  ];
  const server = new ApolloServer<GatewayContext>({
    typeDefs: 'type Query { a: Int b: Int } type Mutation { m: Int }',
    resolvers: {
      Query: { a: () => ++resolved, b: () => ++resolved },
      Mutation: { m: () => ++resolved },
    },
    includeStacktraceInErrorResponses: false,
    plugins: [requestPipelinePlugin({ steps: () => steps })],
  });
  await server.start();
  async function post(query: string) {
    const res = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: { query },
      },
      context: async () => ({}),
    });
    assert.equal(res.body.kind, 'complete');
    const text = res.body.kind === 'complete' ? res.body.string : '{}';
    const headers = Object.fromEntries(
      [...res.headers].filter(([name]) => /^(ratelimit-|retry-after)/.test(name)),
    );
    return {
      status: res.status ?? 200,
      headers: settled(headers),
      body: settled(JSON.parse(text)),
    };
  }
  return { server, post, resolved: () => resolved };
}

describe('throttle plugin', () => {
  test('charges the number of selected fields; over the limit: 429, headers, nothing resolved', async () => {
    const { server, post, resolved } = await startServer();
    const ok = await post('{ a b }');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { data: { a: 1, b: 2 } });
    assert.deepEqual(ok.headers, {
      'ratelimit-limit': '6',
      'ratelimit-remaining': '4',
      'ratelimit-reset': 'R',
    });
    assert.equal((await post('{ a b x: a y: b }')).status, 200);
    const refused = await post('{ a }');
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, {
      errors: [
        {
          message:
            'rate limit exceeded for anonymous callers: the operation costs 1 point, 0 of 6 left in this window; retry after R s',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 'R' },
        },
      ],
    });
    assert.deepEqual(refused.headers, {
      'ratelimit-limit': '6',
      'ratelimit-remaining': '0',
      'ratelimit-reset': 'R',
      'retry-after': 'R',
    });
    assert.equal(resolved(), 6, 'the refused operation resolved nothing');
    await server.stop();
  });

  test('mutations have their own budget', async () => {
    const { server, post } = await startServer();
    assert.equal((await post('mutation { m }')).status, 200);
    assert.equal((await post('mutation { m }')).status, 200);
    const refused = await post('mutation { m }');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['ratelimit-limit'], '2');
    assert.equal((await post('{ a b c: a d: b e: a f: b }')).status, 200, 'queries untouched');
    await server.stop();
  });

  test('the cost function is an option; a cost above the limit says so', async () => {
    const { server, post } = await startServer(() => 7);
    const refused = await post('{ a }');
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, {
      errors: [
        {
          message:
            'rate limit exceeded for anonymous callers: the operation costs 7 points, more than its limit of 6 per 60 s window',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 'R' },
        },
      ],
    });
    assert.equal(refused.headers['ratelimit-remaining'], '6');
    await server.stop();
  });
});
