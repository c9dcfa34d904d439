import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createBackendsServer } from '../../../backends/server.ts';
import { createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../../subgraphs/promotion/assemble.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { acquirePglite, releasePglite } from '../../helpers/pglite-pool.ts';
import { principalConnectionParams, principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { FakeReadinessGate } from '../../unit/promotion/promotion-harness.ts';

type Event = {
  kind: string;
  cursor: string;
  toState: string | null;
  promotion: { id: string; name: string };
};

describe('promotion subgraph serves promotionStateChanged over graphql-ws', () => {
  let backends: Awaited<ReturnType<ReturnType<typeof createBackendsServer>['listen']>>;
  let promotion: AssembledPromotionSubgraph;
  let db: SqlDatabase;
  let subgraph: RunningSubgraph;
  let client: Client;
  const erp = () =>
    createBackendClient({
      name: 'erp',
      baseUrl: backends.url,
      retries: 0,
      timeoutMs: EMULATOR_TIMEOUT_MS,
    });
  let erpClient: ReturnType<typeof erp>;

  before(async () => {
    backends = await createBackendsServer({ seed: { skus: 50, locations: 5, vendors: 3 } }).listen(
      0,
    );
    erpClient = erp();
    db = await acquirePglite();
    promotion = await assemblePromotionSubgraph(
      testSubgraphConfig({ channelsUrl: `${backends.url}/channels` }),
      {
        erp: erpClient,
        readinessGate: new FakeReadinessGate(),
        fundingAgreements: null,
        schedulerIntervalMs: 0,
        database: db,
      },
    );
    subgraph = await promotion.listen(0);
    client = createClient({
      url: subgraph.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: principalConnectionParams(),
    });
  });
  after(async () => {
    await client.dispose();
    await subgraph.close();
    await promotion.dispose();
    await releasePglite(db);
    await erpClient.close();
    await backends.close();
  });

  async function createDraft(name: string): Promise<string> {
    return (await createDraftWithCursor(name)).id;
  }

  async function createDraftWithCursor(name: string): Promise<{ id: string; eventCursor: string }> {
    const res = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body: JSON.stringify({
        query: `mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { eventCursor promotion { id } } }`,
        variables: {
          input: {
            name,
            offer: { kind: 'PERCENT_OFF', percentOff: '10' },
            scope: { skus: ['SKU000001'] },
            eligibility: { channels: ['ECOMMERCE'] },
            window: {
              startsAt: new Date(Date.now() + 86_400_000).toISOString(),
              endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
              timeZone: 'UTC',
            },
            stacking: { mode: 'STACKABLE', priority: 1 },
          },
        },
      }),
    });
    const body = (await res.json()) as {
      data: { createPromotionDraft: { eventCursor: string; promotion: { id: string } } };
    };
    const result = body.data.createPromotionDraft;
    return { id: result.promotion.id, eventCursor: result.eventCursor };
  }

  function nextEvents(query: string, count: number): Promise<Event[]> {
    return new Promise((resolve, reject) => {
      const events: Event[] = [];
      const unsubscribe = client.subscribe<{ promotionStateChanged: Event }>(
        { query },
        {
          next: (value) => {
            if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
            events.push(value.data!.promotionStateChanged);
            if (events.length === count) {
              unsubscribe();
              resolve(events);
            }
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
  }

  const SELECTION = '{ kind cursor toState promotion { id name } }';

  test('a subscriber receives the event of a draft created after it subscribed', async () => {
    // Subscribing after a known cursor makes the test independent of when the server registers
    // the subscription: an event created meanwhile is replayed, a later one arrives live.
    const { eventCursor } = await createDraftWithCursor('Before');
    const received = nextEvents(
      `subscription { promotionStateChanged(after: "${eventCursor}") ${SELECTION} }`,
      1,
    );
    const id = await createDraft('Live event');
    const [event] = await received;
    assert.equal(event!.promotion.id, id);
    assert.equal(event!.promotion.name, 'Live event');
    assert.equal(event!.kind, 'STATE_CHANGED');
    assert.equal(event!.toState, 'DRAFT');
  });

  test('`after` replays the events a reconnecting client missed, in cursor order', async () => {
    const first = await createDraft('Missed one');
    const second = await createDraft('Missed two');
    const events = await nextEvents(
      `subscription { promotionStateChanged(after: "0") ${SELECTION} }`,
      4,
    );
    const ids = events.map((e) => e.promotion.id);
    assert.deepEqual(ids.slice(2), [first, second]);
    const cursors = events.map((e) => e.cursor);
    assert.deepEqual([...cursors].sort(), cursors);
    assert.equal(new Set(cursors).size, cursors.length);
  });
});
