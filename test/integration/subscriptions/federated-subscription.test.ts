import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FormattedExecutionResult, Sink } from 'graphql-ws';
import {
  startFederatedSubscription,
  type FederatedSubscriptionDeps,
} from '../../../gateway/subscriptions/federated-subscription.ts';
import type { PreparedSubscription } from '../../../gateway/subscriptions/prepare-subscription.ts';
import type { UpstreamPool } from '../../../gateway/subscriptions/upstream-pool.ts';

type Upstream = {
  query: string;
  variables: Record<string, unknown>;
  sink: Sink<FormattedExecutionResult>;
  unsubscribed: boolean;
};

/** A pool that records each upstream subscription (variables as sent) and its unsubscribe. */
function fakePool(): UpstreamPool & { upstreams: Upstream[] } {
  const upstreams: Upstream[] = [];
  return {
    upstreams,
    subscribe(_subgraph, request, sink) {
      const upstream = {
        query: request.query,
        variables: { ...request.variables },
        sink,
        unsubscribed: false,
      };
      upstreams.push(upstream);
      return () => {
        upstream.unsubscribed = true;
      };
    },
    stats: () => ({}),
    close: async () => undefined,
  };
}

/** A prepared subscription whose Primary is `upstreamQuery` and whose plan is named `plan`. */
function prepared(plan: string, upstreamQuery: string): PreparedSubscription {
  return {
    request: { query: plan },
    plan: { primary: { serviceName: 'promotion' }, rest: undefined },
    upstream: {
      query: upstreamQuery,
      variables: { __arg_after: '0' },
      resumeVariable: '__arg_after',
    },
    principal: undefined,
  } as unknown as PreparedSubscription;
}

const event = (cursor: string) => ({
  data: { promotionStateChanged: { __gatewayCursor: cursor } },
});

function deps(pool: UpstreamPool, overrides: Partial<FederatedSubscriptionDeps> = {}) {
  return {
    pool,
    upstreamHeaders: () => ({}),
    // The Rest of plan P turns an event with cursor C into { plan: P, cursor: C }.
    restRunner: (p: PreparedSubscription) => async (payload: { data?: unknown }) => ({
      data: {
        plan: p.request.query,
        cursor: (payload.data as ReturnType<typeof event>['data']).promotionStateChanged
          .__gatewayCursor,
      },
    }),
    formatError: (formatted: object) => formatted,
    maxBufferedEvents: 100,
    maxBufferedBytes: 1024,
    endWith: 'error',
    ...overrides,
  } as FederatedSubscriptionDeps;
}

async function pull(queue: AsyncIterator<unknown>, count: number) {
  const values = [];
  for (let i = 0; i < count; i += 1) values.push(await queue.next());
  return values;
}

describe('a federated subscription switches plans on reload', () => {
  test('a changed Primary: resubscribed after the last cursor, the old one dropped', async () => {
    const pool = fakePool();
    const subscription = startFederatedSubscription(prepared('A', 'primary A'), deps(pool));
    pool.upstreams[0]!.sink.next(event('5'));
    subscription.switchTo(prepared('B', 'primary B'));
    assert.deepEqual(
      pool.upstreams.map(({ query, variables, unsubscribed }) => ({
        query,
        variables,
        unsubscribed,
      })),
      [
        { query: 'primary A', variables: { __arg_after: '0' }, unsubscribed: true },
        { query: 'primary B', variables: { __arg_after: '5' }, unsubscribed: false },
      ],
    );
    pool.upstreams[0]!.sink.next(event('6')); // late, from the old upstream: ignored
    pool.upstreams[1]!.sink.next(event('6'));
    assert.deepEqual(await pull(subscription.queue, 2), [
      { value: { data: { plan: 'A', cursor: '5' } }, done: false },
      { value: { data: { plan: 'B', cursor: '6' } }, done: false },
    ]);
    await subscription.queue.return();
    assert.equal(pool.upstreams[1]!.unsubscribed, true);
  });

  test('the same Primary: the upstream subscription stays, the next events use the new plan', async () => {
    const pool = fakePool();
    const subscription = startFederatedSubscription(prepared('A', 'primary'), deps(pool));
    pool.upstreams[0]!.sink.next(event('1'));
    subscription.switchTo(prepared('B', 'primary'));
    pool.upstreams[0]!.sink.next(event('2'));
    assert.equal(pool.upstreams.length, 1);
    assert.deepEqual(await pull(subscription.queue, 2), [
      { value: { data: { plan: 'A', cursor: '1' } }, done: false },
      { value: { data: { plan: 'B', cursor: '2' } }, done: false },
    ]);
    await subscription.queue.return();
  });

  test('SSE style: a slow consumer gets one last event with the reason, then completes', async () => {
    const pool = fakePool();
    const ended: string[] = [];
    const subscription = startFederatedSubscription(
      prepared('A', 'primary'),
      deps(pool, { maxBufferedEvents: 2, endWith: 'event', onEnded: (r) => ended.push(r) }),
    );
    for (const cursor of ['1', '2', '3']) pool.upstreams[0]!.sink.next(event(cursor));
    assert.deepEqual(ended, ['slow_consumer']);
    assert.equal(pool.upstreams[0]!.unsubscribed, true);
    assert.deepEqual(await pull(subscription.queue, 2), [
      {
        value: {
          errors: [
            {
              message:
                'subscription ended: the client fell more than 2 events behind (slow consumer); subscribe again with `after` set to the last cursor received',
              extensions: { code: 'RATE_LIMITED', reason: 'SLOW_CONSUMER' },
            },
          ],
        },
        done: false,
      },
      { value: undefined, done: true },
    ]);
  });
});
