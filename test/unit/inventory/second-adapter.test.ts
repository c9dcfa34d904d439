import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import {
  assembleInventorySubgraph,
  type AssembledInventorySubgraph,
} from '../../../subgraphs/inventory/assemble.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { createSimpleInventoryPorts } from '../../fixtures/simple-erp/simple-inventory.adapter.ts';
import {
  simpleSmallWorld,
  startSimpleErp,
  type SimpleErp,
} from '../../fixtures/simple-erp/simple-erp-server.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { smallWorld, startErpFixture, type ErpFixture } from './erp-fixture.ts';
import type { GraphQLResponse } from './inventory-harness.ts';

/**
 * The stock and location ports proven by a second adapter: the real inventory subgraph, assembled
 * by its factory once over the SAP adapters (OData fixture) and once over a JSON "simple ERP"
 * holding the same stock, answers the same queries with the same canonical answers.
 */

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const now = (): number => T0;

const QUERY = `query ($skus: [String!]!, $locationIds: [ID!]!, $representations: [_Any!]!) {
  availability(skus: $skus, locationIds: $locationIds) {
    sku locationId status availableToPromise onHand reserved unavailable safetyStock inTransit
    unitOfMeasure asOf location { id name type timeZone regionId country channels }
  }
  locations(first: 10) { edges { node { id type channels } } pageInfo { hasNextPage } }
  _entities(representations: $representations) {
    ... on Promotion { id stockReadiness { check { passed summary } locationsCovered locationsShort } }
  }
}`;

const VARIABLES = {
  skus: ['TG11', 'TG12', 'NOPE'],
  locationIds: ['1001', '1002'],
  representations: [
    {
      __typename: 'Promotion',
      id: 'p1',
      terms: {
        skus: ['TG11'],
        locationIds: [],
        channels: ['ECOMMERCE'],
        startsAt: '2026-03-02T00:00:00.000Z',
        endsAt: '2026-03-09T00:00:00.000Z',
        expectedUnitsBySku: [{ sku: 'TG11', quantity: '30' }],
      },
    },
  ],
};

const BERLIN = {
  id: '1001',
  name: 'Berlin Mitte',
  type: 'STORE',
  timeZone: 'Europe/Berlin',
  regionId: 'BE',
  country: 'DE',
  channels: ['POS', 'ECOMMERCE'],
};
const MUNICH = {
  ...BERLIN,
  id: '1002',
  name: 'Munich Marienplatz',
  regionId: 'BY',
  channels: ['POS'],
};
const ZERO = {
  onHand: '0',
  reserved: '0',
  unavailable: '0',
  safetyStock: '0',
  inTransit: '0',
  unitOfMeasure: 'PC',
  asOf: '2026-03-01T10:00:00.000Z',
};

const EXPECTED = {
  availability: [
    {
      sku: 'TG11',
      locationId: '1001',
      status: 'IN_STOCK',
      availableToPromise: '11',
      ...ZERO,
      onHand: '19.5',
      reserved: '3',
      unavailable: '3.5',
      safetyStock: '2',
      inTransit: '7',
      location: BERLIN,
    },
    {
      sku: 'TG11',
      locationId: '1002',
      status: 'LOW_STOCK',
      availableToPromise: '5',
      ...ZERO,
      onHand: '6',
      reserved: '1',
      location: MUNICH,
    },
    {
      sku: 'TG12',
      locationId: '1001',
      status: 'BACKORDERABLE',
      availableToPromise: '0',
      ...ZERO,
      onHand: '2',
      reserved: '2',
      inTransit: '10',
      location: BERLIN,
    },
    {
      sku: 'TG12',
      locationId: '1002',
      status: 'OUT_OF_STOCK',
      availableToPromise: '0',
      ...ZERO,
      location: MUNICH,
    },
    {
      sku: 'NOPE',
      locationId: '1001',
      status: 'OUT_OF_STOCK',
      availableToPromise: '0',
      ...ZERO,
      location: BERLIN,
    },
    {
      sku: 'NOPE',
      locationId: '1002',
      status: 'OUT_OF_STOCK',
      availableToPromise: '0',
      ...ZERO,
      location: MUNICH,
    },
  ],
  locations: {
    edges: [
      { node: { id: '1001', type: 'STORE', channels: ['POS', 'ECOMMERCE'] } },
      { node: { id: '1002', type: 'STORE', channels: ['POS'] } },
      { node: { id: '1003', type: 'DARK_STORE', channels: ['ECOMMERCE', 'MOBILE'] } },
      { node: { id: '1900', type: 'ONLINE_FC', channels: ['ECOMMERCE', 'MOBILE', 'MARKETPLACE'] } },
      { node: { id: '2000', type: 'DC', channels: [] } },
      { node: { id: '3001', type: 'STORE', channels: ['POS'] } },
    ],
    pageInfo: { hasNextPage: false },
  },
  _entities: [
    {
      id: 'p1',
      stockReadiness: {
        // 30 units over the 3 locations selling ECOMMERCE (1001, 1003, 1900): 10 each.
        check: { passed: false, summary: '2 shortfalls at 2 of 3 locations' },
        locationsCovered: 1,
        locationsShort: 2,
      },
    },
  ],
};

describe('a second stock adapter: a JSON "simple ERP" behind the same ports', () => {
  let sapErp: ErpFixture;
  let simpleErp: SimpleErp;
  let simpleClient: BackendClient;
  const assembled: AssembledInventorySubgraph[] = [];
  const running: RunningSubgraph[] = [];

  async function start(subgraph: AssembledInventorySubgraph): Promise<RunningSubgraph> {
    assembled.push(subgraph);
    const server = await subgraph.listen(0);
    running.push(server);
    return server;
  }

  async function query(server: RunningSubgraph): Promise<GraphQLResponse> {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body: JSON.stringify({ query: QUERY, variables: VARIABLES }),
    });
    return (await res.json()) as GraphQLResponse;
  }

  before(async () => {
    sapErp = await startErpFixture(smallWorld());
    simpleErp = await startSimpleErp(simpleSmallWorld());
    simpleClient = createBackendClient({ name: 'simple-erp', baseUrl: simpleErp.url, retries: 0 });
  });
  after(async () => {
    await Promise.all(running.map((s) => s.close()));
    await Promise.all(assembled.map((a) => a.dispose()));
    await simpleClient.close();
    await Promise.all([sapErp.close(), simpleErp.close()]);
  });

  test('the same canonical answers through the graph as the SAP adapters give', async () => {
    const sap = await start(
      assembleInventorySubgraph(testSubgraphConfig({ erpUrl: sapErp.url }), {
        sap: { now, log: () => {} },
      }),
    );
    const simple = await start(
      assembleInventorySubgraph(testSubgraphConfig(), {
        adapters: createSimpleInventoryPorts(simpleClient, { now }),
      }),
    );
    const [fromSap, fromSimple] = await Promise.all([query(sap), query(simple)]);
    assert.deepEqual(fromSap, { data: EXPECTED });
    assert.deepEqual(fromSimple, { data: EXPECTED });
  });

  test('the second adapter sits behind the same cache: a second query reads nothing', async () => {
    const simple = await start(
      assembleInventorySubgraph(testSubgraphConfig(), {
        adapters: createSimpleInventoryPorts(simpleClient, { now }),
      }),
    );
    simpleErp.resetCounts();
    assert.deepEqual(await query(simple), { data: EXPECTED });
    // availability and the readiness check share one loader batch: one stock read
    assert.deepEqual(simpleErp.counts(), { sites: 1, stock: 1 });
    assert.deepEqual(await query(simple), { data: EXPECTED });
    assert.deepEqual(simpleErp.counts(), { sites: 1, stock: 1 });
  });
});
