import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { freshnessPlugin, staleSourcesOf } from '../../../gateway/plugins/freshness.ts';
import type { GatewayContext } from '../../../gateway/principal.ts';

/** Runs the plugin over one request whose subgraphs reported `reports`; the response's extensions. */
async function respond(
  reports: Record<string, unknown>[],
  extensions?: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const contextValue: GatewayContext = {};
  const plugin = freshnessPlugin();
  const listener = await plugin.requestDidStart!({ contextValue } as never);
  for (const report of reports) contextValue.stale!.push(...staleSourcesOf(report));
  const singleResult: { data: unknown; extensions?: Record<string, unknown> } = {
    data: {},
    ...(extensions ? { extensions } : {}),
  };
  await listener!.willSendResponse!({
    contextValue,
    response: { body: { kind: 'single', singleResult }, http: { headers: new Map() } },
  } as unknown as GraphQLRequestContextWillSendResponse<GatewayContext>);
  return singleResult.extensions;
}

const mark = (source: string, asOf: string, reason: string) => ({
  freshness: { stale: [{ source, asOf, reason }] },
});

describe('gateway freshness marks (plugins/freshness.ts)', () => {
  test('nothing stale: no freshness key; other extensions stay', async () => {
    assert.equal(await respond([]), undefined);
    assert.deepEqual(await respond([{}], { traceId: 't' }), { traceId: 't' });
  });

  test("the subgraphs' lists merge per source: the oldest asOf, the graver reason", async () => {
    const extensions = await respond([
      mark('stock', '2026-12-07T10:00:05.000Z', 'revalidating'),
      mark('prices', '2026-12-07T10:00:00.000Z', 'revalidating'),
      mark('stock', '2026-12-07T10:00:01.000Z', 'revalidating'),
      mark('stock', '2026-12-07T10:00:03.000Z', 'backend-unavailable'),
    ]);
    assert.deepEqual(extensions, {
      freshness: {
        stale: [
          { source: 'prices', asOf: '2026-12-07T10:00:00.000Z', reason: 'revalidating' },
          { source: 'stock', asOf: '2026-12-07T10:00:01.000Z', reason: 'backend-unavailable' },
        ],
      },
    });
  });

  test('a malformed mark from a subgraph is ignored, never passed on', () => {
    assert.deepEqual(staleSourcesOf(undefined), []);
    assert.deepEqual(staleSourcesOf({ freshness: 'stale' }), []);
    assert.deepEqual(staleSourcesOf({ freshness: { stale: 'all' } }), []);
    assert.deepEqual(
      staleSourcesOf({
        freshness: {
          stale: [
            null,
            { source: 'stock', asOf: 'yesterday', reason: 'revalidating' },
            { source: 'stock', asOf: '2026-12-07T10:00:00.000Z', reason: 'because' },
            { source: 7, asOf: '2026-12-07T10:00:00.000Z', reason: 'revalidating' },
            { source: 'stock', asOf: '2026-12-07T10:00:00.000Z', reason: 'revalidating', erp: 'x' },
          ],
        },
      }),
      [{ source: 'stock', asOf: '2026-12-07T10:00:00.000Z', reason: 'revalidating' }],
    );
  });
});
