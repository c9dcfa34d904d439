import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { assembleGateway } from '../../../gateway/assemble.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import type { RunningGateway } from '../../../gateway/server.ts';
import { testGatewayOverrides, type TestStack } from '../../helpers/stack.ts';

/** What the tests select: promotion fields, and fields of the inventory and funding subgraphs. */
export const EVENT_SELECTION = `{
  cursor kind toState
  promotion {
    id state name
    stockReadiness { locationsCovered locationsShort check { area passed summary } }
    funding { check { area passed summary } }
  }
}`;

export const PROMOTION_SELECTION = `{
  id state name
  stockReadiness { locationsCovered locationsShort check { area passed summary } }
  funding { check { area passed summary } }
}`;

export type Draft = { id: string; eventCursor: string };

/** Creates a draft through the gateway (a mutation as a user makes it). */
export async function createDraft(
  stack: TestStack,
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<Draft> {
  const now = Date.now();
  const res = await stack.query<{
    createPromotionDraft: { eventCursor: string; promotion: { id: string } };
  }>(
    `mutation($input: CreatePromotionDraftInput!) {
      createPromotionDraft(input: $input) { eventCursor promotion { id } }
    }`,
    {
      input: {
        name,
        offer: { kind: 'PERCENT_OFF', percentOff: '10' },
        scope: { skus: ['SKU000001', 'SKU000002'] },
        eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001', 'S002'] },
        window: {
          startsAt: new Date(now + 86_400_000).toISOString(),
          endsAt: new Date(now + 2 * 86_400_000).toISOString(),
          timeZone: 'UTC',
        },
        stacking: { mode: 'STACKABLE', priority: 1 },
        expectedUnits: [{ sku: 'SKU000001', quantity: '1' }],
        ...overrides,
      },
    },
  );
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  const result = res.body.data!.createPromotionDraft;
  return { id: result.promotion.id, eventCursor: result.eventCursor };
}

/** The promotion as a query through the gateway answers it (what a merged event must show). */
export async function promotionNow(stack: TestStack, id: string): Promise<unknown> {
  const res = await stack.query<{ promotion: unknown }>(
    `query($id: ID!) { promotion(id: $id) ${PROMOTION_SELECTION} }`,
    { id },
  );
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  return res.body.data!.promotion;
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** A graphql-ws client of the gateway; `token: null` sends no authorization. */
export function wsClient(
  url: string,
  token: string | null,
  on: Parameters<typeof createClient>[0]['on'] = {},
): Client {
  return createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on,
  });
}

/** Takes exactly `count` results from an iterator (then leaves it open). */
export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const results: T[] = [];
  while (results.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`completed after ${results.length} of ${count} results`);
    results.push(next.value);
  }
  return results;
}

/** A second gateway on the stack's subgraphs (its own metrics, closable by the test). */
export async function startGateway(
  stack: TestStack,
  subgraphUrls: Record<string, string> = {},
): Promise<RunningGateway> {
  const assembled = assembleGateway(
    readGatewayConfig({}),
    testGatewayOverrides({
      ...Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url])),
      ...subgraphUrls,
    }),
  );
  const running = await assembled.server.listen(0);
  return {
    ...running,
    async close() {
      await running.close();
      await assembled.close();
    },
  };
}

/** One sample of the gateway's Prometheus text, e.g. `gateway_subscriptions_open{transport="sse"}`. */
export async function metric(gatewayUrl: string, sample: string): Promise<number | undefined> {
  const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

/** Waits until a metric sample has the value (the gateway reacts to a close asynchronously). */
export async function metricBecomes(gatewayUrl: string, sample: string, value: number) {
  for (let i = 0; i < 500; i += 1) {
    if ((await metric(gatewayUrl, sample)) === value) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(await metric(gatewayUrl, sample), value, sample);
}
