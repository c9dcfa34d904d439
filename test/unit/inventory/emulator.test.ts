import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Big from 'big.js';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import { assembleInventorySubgraph } from '../../../subgraphs/inventory/assemble.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import type { GraphQLResponse } from './inventory-harness.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

/** The inventory subgraph over the real ERP emulator (`backends/`), counting calls there. */

const STOCK = 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const PRODUCT_PLANT = 'API_PRODUCT_SRV/A_ProductPlant';
const PLANNING = 'API_PRODUCT_SRV/A_ProductSupplyPlanning';
const PLANT = 'API_PLANT_SRV/A_Plant';

type Position = {
  sku: string;
  locationId: string;
  status: string;
  availableToPromise: string;
  onHand: string;
  reserved: string;
  unavailable: string;
  safetyStock: string;
  inTransit: string;
};

const AVAILABILITY = `query ($skus: [String!]!, $locationIds: [ID!]!) {
  availability(skus: $skus, locationIds: $locationIds) {
    sku locationId status availableToPromise onHand reserved unavailable safetyStock inTransit
  }
}`;

const skuIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`);

async function startStack(options: Parameters<typeof createBackendsServer>[0]) {
  const backends = await createBackendsServer(options).listen(0);
  const client = createBackendClient({
    name: 'erp',
    baseUrl: backends.url,
    retries: 0,
    timeoutMs: EMULATOR_TIMEOUT_MS,
  });
  // Stock and safety stock uncached (every request's reads are counted); the location list cached as configured.
  const config = testSubgraphConfig({
    erpUrl: backends.url,
    cacheTtlMs: { stock: 0, products: 0 },
  });
  // Plain GETs: these tests count the chunked reads per entity set; the `$batch` that carries
  // them in production has its own (sap-stock-batch.test.ts).
  const inventory = await assembleInventorySubgraph(config, {
    erp: client,
    sap: { batch: false },
  }).listen(0);
  return { backends, client, inventory };
}

async function gql(
  inventory: RunningSubgraph,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const res = await fetch(inventory.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...principalHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse;
}

function calls(backends: RunningBackends) {
  const c = backends.state.counters;
  return {
    [PLANT]: c.calls(PLANT),
    [STOCK]: c.calls(STOCK),
    [PRODUCT_PLANT]: c.calls(PRODUCT_PLANT),
    [PLANNING]: c.calls(PLANNING),
  };
}

/** Test-side reading of the raw rows, summed independently of the adapter. */
async function expectedPositions(
  backends: RunningBackends,
  skus: string[],
  plants: string[],
): Promise<Map<string, Omit<Position, 'status'>>> {
  const or = (field: string, values: string[]) =>
    `(${values.map((v) => `${field} eq '${v}'`).join(' or ')})`;
  const read = async (path: string, materialField: string) => {
    const filter = `${or(materialField, skus)} and ${or('Plant', plants)}`;
    let url: string | undefined =
      `${backends.url}/sap/opu/odata/sap/${path}?$format=json&$filter=${encodeURIComponent(filter)}`;
    const rows: Record<string, string>[] = [];
    while (url) {
      const body = (await (await fetch(url)).json()) as {
        d: { results: Record<string, string>[]; __next?: string };
      };
      rows.push(...body.d.results);
      url = body.d.__next;
    }
    return rows;
  };
  const out = new Map<string, Record<string, Big>>();
  const at = (sku: string, plant: string) => {
    const key = `${sku}@${plant}`;
    if (!out.has(key)) {
      out.set(
        key,
        Object.fromEntries(
          ['onHand', 'reserved', 'unavailable', 'safetyStock', 'inTransit'].map((k) => [
            k,
            new Big(0),
          ]),
        ),
      );
    }
    return out.get(key)!;
  };
  for (const sku of skus) for (const plant of plants) at(sku, plant);
  for (const r of await read(STOCK, 'Material')) {
    if (r.StorageLocation !== '0001' && r.StorageLocation !== '0002') continue;
    const a = at(r.Material!, r.Plant!);
    const field = r.InventoryStockType === '01' ? 'onHand' : 'unavailable';
    a[field] = a[field]!.plus(r.MatlWrhsStkQtyInMatlBaseUnit!);
  }
  for (const r of await read(PRODUCT_PLANT, 'Product')) {
    const a = at(r.Product!, r.Plant!);
    a.reserved = a.reserved!.plus(r.YY1_ReservedQuantity!);
    a.unavailable = a.unavailable!.plus(r.GoodsReceiptBlockedStockQty!);
    a.inTransit = a.inTransit!.plus(r.StockInTransitQuantity!).plus(r.StockInTransferQuantity!);
  }
  for (const r of await read(PLANNING, 'Product')) {
    const a = at(r.Product!, r.Plant!);
    a.safetyStock = a.safetyStock!.plus(r.SafetyStockQuantity!);
  }
  const result = new Map<string, Omit<Position, 'status'>>();
  for (const [key, a] of out) {
    const [sku, locationId] = key.split('@') as [string, string];
    const atp = a.onHand!.minus(a.reserved!).minus(a.unavailable!).minus(a.safetyStock!);
    const s = (b: Big) => (b.eq(0) ? '0' : b.toFixed());
    result.set(key, {
      sku,
      locationId,
      availableToPromise: atp.gt(0) ? s(atp) : '0',
      onHand: s(a.onHand!),
      reserved: s(a.reserved!),
      unavailable: s(a.unavailable!),
      safetyStock: s(a.safetyStock!),
      inTransit: s(a.inTransit!),
    });
  }
  return result;
}

describe('inventory over the ERP emulator', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let stores: string[];
  before(async () => {
    // page size above any answer here, so calls = queries (paging has its own test below)
    stack = await startStack({ seed: { skus: 120, locations: 100, vendors: 3 }, pageSize: 20_000 });
    const res = await gql(
      stack.inventory,
      '{ locations(type: STORE, first: 10) { edges { node { id } } } }',
    );
    stores = (res.data!.locations as { edges: { node: { id: string } }[] }).edges.map(
      (e) => e.node.id,
    );
  });
  after(async () => {
    await stack.inventory.close();
    await stack.client.close();
    await stack.backends.close();
  });

  test('50 SKUs x 10 stores: ceil(50/40) x 3 ERP calls, quantities match the raw rows', async () => {
    assert.equal(stores.length, 10);
    const skus = skuIds(50);
    stack.backends.state.counters.reset();
    const res = await gql(stack.inventory, AVAILABILITY, { skus, locationIds: stores });
    assert.equal(res.errors, undefined);
    assert.deepEqual(calls(stack.backends), {
      [PLANT]: 0, // cached since the locations query
      [STOCK]: 2,
      [PRODUCT_PLANT]: 2,
      [PLANNING]: 2,
    });
    const positions = res.data!.availability as Position[];
    assert.equal(positions.length, 500);
    const expected = await expectedPositions(stack.backends, skus, stores);
    for (const [i, p] of positions.entries()) {
      assert.equal(p.sku, skus[Math.floor(i / 10)]);
      assert.equal(p.locationId, stores[i % 10]);
      const { status, ...quantities } = p;
      assert.deepEqual(
        quantities,
        expected.get(`${p.sku}@${p.locationId}`),
        `${p.sku}@${p.locationId}`,
      );
      assert.ok(['IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK', 'BACKORDERABLE'].includes(status));
    }
    // the seed has some of each status
    const statuses = new Set(positions.map((p) => p.status));
    assert.ok(statuses.has('IN_STOCK') && statuses.has('OUT_OF_STOCK'), [...statuses].join());
  });

  test('100 SKUs x 100 locations stay within the emulator URL limit (8192), 3 chunks x 3 calls', async () => {
    const all = await gql(stack.inventory, '{ locations(first: 200) { edges { node { id } } } }');
    const locationIds = (all.data!.locations as { edges: { node: { id: string } }[] }).edges.map(
      (e) => e.node.id,
    );
    assert.equal(locationIds.length, 100);
    stack.backends.state.counters.reset();
    const res = await gql(stack.inventory, AVAILABILITY, { skus: skuIds(100), locationIds });
    assert.equal(res.errors, undefined);
    assert.equal((res.data!.availability as Position[]).length, 10_000);
    assert.deepEqual(calls(stack.backends), {
      [PLANT]: 0,
      [STOCK]: 3,
      [PRODUCT_PLANT]: 3,
      [PLANNING]: 3,
    });
  });

  test('SKUs unknown to the ERP are OUT_OF_STOCK with zero quantities', async () => {
    const res = await gql(stack.inventory, AVAILABILITY, {
      skus: ['NO-SUCH-SKU'],
      locationIds: [stores[0]!],
    });
    assert.deepEqual(res, {
      data: {
        availability: [
          {
            sku: 'NO-SUCH-SKU',
            locationId: stores[0],
            status: 'OUT_OF_STOCK',
            availableToPromise: '0',
            onHand: '0',
            reserved: '0',
            unavailable: '0',
            safetyStock: '0',
            inTransit: '0',
          },
        ],
      },
    });
  });

  test('an injected ERP 503 → BACKEND_UNAVAILABLE with a path', async () => {
    const fault = stack.backends.state.faults.add({ match: STOCK, status: 503 });
    try {
      const res = await gql(stack.inventory, AVAILABILITY, {
        skus: skuIds(1),
        locationIds: [stores[0]!],
      });
      assert.deepEqual(res, {
        errors: [
          {
            message: 'erp is unavailable: HTTP 503',
            locations: [{ line: 2, column: 3 }],
            path: ['availability'],
            extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
          },
        ],
        data: null,
      });
    } finally {
      stack.backends.state.faults.remove(fault.id);
    }
  });

  test('stock readiness of promotions over the emulator reads one chunk for all of them', async () => {
    await gql(stack.inventory, '{ location(id: "none") { id } }'); // plant list cached
    stack.backends.state.counters.reset();
    const res = await gql(
      stack.inventory,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Promotion {
        id stockReadiness { check { area passed } locationsCovered locationsShort } } } }`,
      {
        r: ['P-1', 'P-2'].map((id) => ({
          __typename: 'Promotion',
          id,
          terms: {
            skus: skuIds(5),
            locationIds: [],
            channels: ['POS'],
            startsAt: '2026-11-27T00:00:00.000Z',
            endsAt: '2026-11-30T00:00:00.000Z',
            expectedUnitsBySku: skuIds(5).map((sku) => ({
              sku,
              quantity: id === 'P-1' ? '1' : '100000',
            })),
          },
        })),
      },
    );
    assert.deepEqual(calls(stack.backends), {
      [PLANT]: 0,
      [STOCK]: 1,
      [PRODUCT_PLANT]: 1,
      [PLANNING]: 1,
    });
    const [p1, p2] = res.data!._entities as {
      stockReadiness: {
        check: { area: string; passed: boolean };
        locationsCovered: number;
        locationsShort: number;
      };
    }[];
    const posStores = await gql(
      stack.inventory,
      '{ locations(channel: POS, first: 200) { edges { node { id type } } } }',
    );
    const considered = (
      posStores.data!.locations as { edges: { node: { type: string } }[] }
    ).edges.filter((e) => e.node.type !== 'DC').length;
    // P-2 expects far more than any store holds: every location is short
    assert.deepEqual(p2!.stockReadiness, {
      check: { area: 'INVENTORY', passed: false },
      locationsCovered: 0,
      locationsShort: considered,
    });
    assert.equal(
      p1!.stockReadiness.locationsCovered + p1!.stockReadiness.locationsShort,
      considered,
    );
  });
});

describe('inventory over the ERP emulator with server-driven paging', () => {
  test('follows __next pages and still sums correctly', async () => {
    const stack = await startStack({ seed: { skus: 30, locations: 12, vendors: 3 }, pageSize: 25 });
    try {
      const skus = skuIds(30);
      const locs = await gql(
        stack.inventory,
        '{ locations(type: STORE) { edges { node { id } } } }',
      );
      const stores = (locs.data!.locations as { edges: { node: { id: string } }[] }).edges.map(
        (e) => e.node.id,
      );
      stack.backends.state.counters.reset();
      const res = await gql(stack.inventory, AVAILABILITY, { skus, locationIds: stores });
      const c = calls(stack.backends);
      // 30 x |stores| product-plant rows at 25 per page
      assert.equal(c[PRODUCT_PLANT], Math.ceil((30 * stores.length) / 25));
      assert.ok(c[STOCK] > c[PRODUCT_PLANT], JSON.stringify(c));
      const expected = await expectedPositions(stack.backends, skus, stores);
      for (const p of res.data!.availability as Position[]) {
        const { status: _status, ...quantities } = p;
        assert.deepEqual(quantities, expected.get(`${p.sku}@${p.locationId}`));
      }
    } finally {
      await stack.inventory.close();
      await stack.client.close();
      await stack.backends.close();
    }
  });
});
