import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generatedWorld, smallWorld } from './erp-fixture.ts';
import { startInventory, type InventoryHarness } from './inventory-harness.ts';

const AVAILABILITY = `query ($skus: [String!]!, $locationIds: [ID!]!) {
  availability(skus: $skus, locationIds: $locationIds) {
    sku locationId status availableToPromise onHand reserved unavailable safetyStock inTransit unitOfMeasure
  }
}`;

describe('Query.availability', () => {
  let inv: InventoryHarness;
  before(async () => {
    inv = await startInventory(smallWorld(), { cacheTtlMs: { stock: 0, products: 0 } });
  });
  after(() => inv.close());

  test('one position per (sku, location), SKUs outer and locations inner', async () => {
    const res = await inv.query(AVAILABILITY, {
      skus: ['TG11', 'TG12', 'UNKNOWN-SKU'],
      locationIds: ['1002', '1001'],
    });
    const zero = { onHand: '0', reserved: '0', unavailable: '0', safetyStock: '0', inTransit: '0' };
    assert.deepEqual(res, {
      data: {
        availability: [
          {
            sku: 'TG11',
            locationId: '1002',
            status: 'LOW_STOCK',
            availableToPromise: '5',
            onHand: '6',
            reserved: '1',
            unavailable: '0',
            safetyStock: '0',
            inTransit: '0',
            unitOfMeasure: 'PC',
          },
          {
            sku: 'TG11',
            locationId: '1001',
            status: 'IN_STOCK',
            availableToPromise: '11',
            onHand: '19.5',
            reserved: '3',
            unavailable: '3.5',
            safetyStock: '2',
            inTransit: '7',
            unitOfMeasure: 'PC',
          },
          {
            sku: 'TG12',
            locationId: '1002',
            status: 'OUT_OF_STOCK',
            availableToPromise: '0',
            ...zero,
            unitOfMeasure: 'PC',
          },
          {
            sku: 'TG12',
            locationId: '1001',
            status: 'BACKORDERABLE',
            availableToPromise: '0',
            onHand: '2',
            reserved: '2',
            unavailable: '0',
            safetyStock: '0',
            inTransit: '10',
            unitOfMeasure: 'PC',
          },
          {
            sku: 'UNKNOWN-SKU',
            locationId: '1002',
            status: 'OUT_OF_STOCK',
            availableToPromise: '0',
            ...zero,
            unitOfMeasure: 'PC',
          },
          {
            sku: 'UNKNOWN-SKU',
            locationId: '1001',
            status: 'OUT_OF_STOCK',
            availableToPromise: '0',
            ...zero,
            unitOfMeasure: 'PC',
          },
        ],
      },
    });
  });

  test('embeds the location and stamps asOf with the ERP read time', async () => {
    const before = Date.now();
    const res = await inv.query(`{
      availability(skus: ["TG11"], locationIds: ["1001"]) { location { id name type } asOf }
    }`);
    const [position] = (res.data!.availability as { location: unknown; asOf: string }[])!;
    assert.deepEqual(position!.location, { id: '1001', name: 'Berlin Mitte', type: 'STORE' });
    const asOf = Date.parse(position!.asOf);
    assert.ok(asOf >= before - 1 && asOf <= Date.now(), position!.asOf);
    assert.match(position!.asOf, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no SKUs', { skus: [], locationIds: ['1001'] }, 'skus must contain at least one SKU'],
    [
      'no locations',
      { skus: ['TG11'], locationIds: [] },
      'locationIds must contain at least one location id',
    ],
    [
      '101 SKUs',
      { skus: Array.from({ length: 101 }, (_, i) => `S${i}`), locationIds: ['1001'] },
      'availability accepts at most 100 SKUs per request, got 101',
    ],
    [
      '101 locations',
      { skus: ['TG11'], locationIds: Array.from({ length: 101 }, (_, i) => `L${i}`) },
      'availability accepts at most 100 locations per request, got 101',
    ],
    [
      'a blank SKU',
      { skus: ['TG11', ' '], locationIds: ['1001'] },
      'skus must not contain blank SKUs',
    ],
  ];
  for (const [name, variables, message] of invalid) {
    test(`BAD_USER_INPUT for ${name}`, async () => {
      assert.deepEqual(await inv.query(AVAILABILITY, variables), {
        errors: [
          {
            message,
            locations: [{ line: 2, column: 3 }],
            path: ['availability'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
        data: null,
      });
    });
  }

  test('NOT_FOUND naming every unknown location once', async () => {
    const res = await inv.query(AVAILABILITY, {
      skus: ['TG11'],
      locationIds: ['1001', '9998', '9999', '9998'],
    });
    assert.deepEqual(res, {
      errors: [
        {
          message: 'Location 9998, 9999 not found',
          locations: [{ line: 2, column: 3 }],
          path: ['availability'],
          extensions: { code: 'NOT_FOUND', kind: 'Location', id: '9998, 9999' },
        },
      ],
      data: null,
    });
  });

  test('ERP 503 → BACKEND_UNAVAILABLE with a path, without ERP detail', async () => {
    inv.erp.fail('A_MatlStkInAcctMod', 503);
    try {
      const res = await inv.query(AVAILABILITY, { skus: ['TG11'], locationIds: ['1001'] });
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
      inv.erp.fail('A_MatlStkInAcctMod', undefined);
    }
  });

  test('a low-stock threshold from deps', async () => {
    const strict = await startInventory(smallWorld(), { lowStockThreshold: 11 });
    try {
      const res = await strict.query(`{
        availability(skus: ["TG11"], locationIds: ["1001"]) { status availableToPromise }
      }`);
      assert.deepEqual(res, {
        data: { availability: [{ status: 'LOW_STOCK', availableToPromise: '11' }] },
      });
    } finally {
      await strict.close();
    }
  });
});

describe('ERP fan-out bound', () => {
  let inv: InventoryHarness;
  before(async () => {
    inv = await startInventory(generatedWorld(50, 10), { cacheTtlMs: { stock: 60_000 } });
  });
  after(() => inv.close());

  test('50 SKUs x 10 stores cost ceil(50/40) x 3 ERP calls plus the cached plant list', async () => {
    const skus = Array.from({ length: 50 }, (_, i) => `SKU-${String(i + 1).padStart(4, '0')}`);
    const locationIds = Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
    const res = await inv.query(AVAILABILITY, { skus, locationIds });
    const positions = res.data!.availability as {
      sku: string;
      locationId: string;
      onHand: string;
    }[];
    assert.equal(positions.length, 500);
    const pick = (p: { sku: string; locationId: string; onHand: string }) =>
      `${p.sku}@${p.locationId}=${p.onHand}`;
    assert.deepEqual([positions[0]!, positions[1]!, positions[10]!, positions[499]!].map(pick), [
      'SKU-0001@S001=2',
      'SKU-0001@S002=3',
      'SKU-0002@S001=3',
      'SKU-0050@S010=60',
    ]);
    assert.deepEqual(inv.erp.counts(), {
      A_Plant: 1,
      A_MatlStkInAcctMod: 2,
      A_ProductPlant: 2,
      A_ProductSupplyPlanning: 2,
    });

    // a second request within the stock TTL reads nothing from the ERP
    inv.erp.resetCounts();
    await inv.query(AVAILABILITY, { skus, locationIds });
    assert.deepEqual(inv.erp.counts(), {
      A_Plant: 0,
      A_MatlStkInAcctMod: 0,
      A_ProductPlant: 0,
      A_ProductSupplyPlanning: 0,
    });
  });
});

describe('safety stock is planning master data: cached apart from the stock quantities', () => {
  let inv: InventoryHarness;
  before(async () => {
    // Stock read every time; safety stock under the master-data policy (policies/caching.yaml).
    inv = await startInventory(smallWorld(), { cacheTtlMs: { stock: 0 } });
  });
  after(() => inv.close());

  test('a second request re-reads the quantities but not the safety stock, and ATP still subtracts it', async () => {
    const vars = { skus: ['TG11'], locationIds: ['1001'] };
    const first = await inv.query(AVAILABILITY, vars);
    inv.erp.resetCounts();
    const second = await inv.query(AVAILABILITY, vars);
    assert.deepEqual(second, first);
    assert.deepEqual(inv.erp.counts(), {
      A_Plant: 0,
      A_MatlStkInAcctMod: 1,
      A_ProductPlant: 1,
      A_ProductSupplyPlanning: 0,
    });
    const [position] = second.data!.availability as { safetyStock: string }[];
    assert.equal(position!.safetyStock, '2');
  });
});
