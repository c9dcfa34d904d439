import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generatedWorld, smallWorld } from './erp-fixture.ts';
import { startInventory, type InventoryHarness } from './inventory-harness.ts';

const ENTITIES = `query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Product { sku availability(locationIds: ["S001", "S002", "S003"]) { locationId onHand status } }
  }
}`;

const READINESS = `query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Promotion {
      id
      stockReadiness {
        check { area passed summary findings { code sku locationId message } }
        shortfalls { sku locationId availableToPromise expectedDemand shortBy }
        locationsCovered
        locationsShort
      }
    }
  }
}`;

function terms(overrides: Record<string, unknown>) {
  return {
    skus: [],
    locationIds: [],
    channels: ['POS'],
    startsAt: '2026-11-27T00:00:00.000Z',
    endsAt: '2026-11-30T23:59:59.000Z',
    expectedUnitsBySku: [],
    ...overrides,
  };
}

describe('Product.availability through _entities', () => {
  let inv: InventoryHarness;
  before(async () => {
    inv = await startInventory(generatedWorld(45, 3), { cacheTtlMs: { stock: 0, products: 0 } });
  });
  after(() => inv.close());

  test('45 products in one _entities call are batched into chunked ERP queries', async () => {
    const skus = Array.from({ length: 45 }, (_, i) => `SKU-${String(i + 1).padStart(4, '0')}`);
    const res = await inv.query(ENTITIES, {
      r: skus.map((sku) => ({ __typename: 'Product', sku })),
    });
    const entities = res.data!._entities as {
      sku: string;
      availability: { locationId: string; onHand: string; status: string }[];
    }[];
    assert.equal(entities.length, 45);
    assert.deepEqual(entities[6], {
      sku: 'SKU-0007',
      availability: [
        { locationId: 'S001', onHand: '8', status: 'IN_STOCK' },
        { locationId: 'S002', onHand: '9', status: 'IN_STOCK' },
        { locationId: 'S003', onHand: '10', status: 'IN_STOCK' },
      ],
    });
    assert.deepEqual(entities[0]!.availability, [
      { locationId: 'S001', onHand: '2', status: 'LOW_STOCK' },
      { locationId: 'S002', onHand: '3', status: 'LOW_STOCK' },
      { locationId: 'S003', onHand: '4', status: 'LOW_STOCK' },
    ]);
    // ceil(45 / 40) chunks x 3 entity sets, plus the plant list once
    assert.deepEqual(inv.erp.counts(), {
      A_Plant: 1,
      A_MatlStkInAcctMod: 2,
      A_ProductPlant: 2,
      A_ProductSupplyPlanning: 2,
    });
  });

  test('unknown locations → NOT_FOUND on each product field, with its path', async () => {
    const res = await inv.query(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Product { sku availability(locationIds: ["S001", "X1"]) { status } } } }`,
      { r: [{ __typename: 'Product', sku: 'SKU-0001' }] },
    );
    assert.deepEqual(res, {
      data: { _entities: [null] },
      errors: [
        {
          message: 'Location X1 not found',
          locations: [{ line: 2, column: 30 }],
          path: ['_entities', 0, 'availability'],
          extensions: { code: 'NOT_FOUND', kind: 'Location', id: 'X1' },
        },
      ],
    });
  });
});

describe('InventoryPosition and Promotion.stockReadiness through _entities', () => {
  let inv: InventoryHarness;
  before(async () => {
    inv = await startInventory(smallWorld(), { cacheTtlMs: { stock: 0, products: 0 } });
  });
  after(() => inv.close());

  test('resolves InventoryPosition by (sku, locationId), null for an unknown location', async () => {
    const res = await inv.query(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on InventoryPosition { sku locationId status availableToPromise location { name } } } }`,
      {
        r: [
          { __typename: 'InventoryPosition', sku: 'TG11', locationId: '1001' },
          { __typename: 'InventoryPosition', sku: 'TG11', locationId: 'nope' },
        ],
      },
    );
    assert.deepEqual(res, {
      data: {
        _entities: [
          {
            sku: 'TG11',
            locationId: '1001',
            status: 'IN_STOCK',
            availableToPromise: '11',
            location: { name: 'Berlin Mitte' },
          },
          null,
        ],
      },
    });
  });

  test('stock readiness per promotion, all promotions read in one batch', async () => {
    inv.erp.resetCounts();
    const res = await inv.query(READINESS, {
      r: [
        {
          __typename: 'Promotion',
          id: 'P-1',
          // no locationIds: every store / dark store / online FC selling POS → 1001, 1002, 3001
          terms: terms({
            skus: ['TG11', 'TG12'],
            expectedUnitsBySku: [
              { sku: 'TG11', quantity: '20' },
              { sku: 'TG12', quantity: '3' },
            ],
          }),
        },
        {
          __typename: 'Promotion',
          id: 'P-2',
          terms: terms({
            skus: ['TG11'],
            locationIds: ['1001'],
            expectedUnitsBySku: [{ sku: 'TG11', quantity: '11' }],
          }),
        },
        {
          __typename: 'Promotion',
          id: 'P-3',
          terms: terms({
            skus: ['TG11'],
            locationIds: ['1001', '9999'],
            expectedUnitsBySku: [{ sku: 'TG11', quantity: '10' }],
          }),
        },
      ],
    });
    assert.deepEqual(res, {
      data: {
        _entities: [
          {
            id: 'P-1',
            stockReadiness: {
              check: {
                area: 'INVENTORY',
                passed: false,
                summary: '5 shortfalls at 3 of 3 locations',
                findings: [
                  {
                    code: 'STOCK_SHORTFALL',
                    sku: 'TG11',
                    locationId: '1002',
                    message:
                      'SKU TG11 at location 1002: 5 available to promise, 6.667 expected, short by 1.667; the location is held',
                  },
                  {
                    code: 'STOCK_SHORTFALL',
                    sku: 'TG11',
                    locationId: '3001',
                    message:
                      'SKU TG11 at location 3001: 0 available to promise, 6.667 expected, short by 6.667; the location is held',
                  },
                  {
                    code: 'STOCK_SHORTFALL',
                    sku: 'TG12',
                    locationId: '1001',
                    message:
                      'SKU TG12 at location 1001: 0 available to promise, 1 expected, short by 1; the location is held',
                  },
                  {
                    code: 'STOCK_SHORTFALL',
                    sku: 'TG12',
                    locationId: '1002',
                    message:
                      'SKU TG12 at location 1002: 0 available to promise, 1 expected, short by 1; the location is held',
                  },
                  {
                    code: 'STOCK_SHORTFALL',
                    sku: 'TG12',
                    locationId: '3001',
                    message:
                      'SKU TG12 at location 3001: 0 available to promise, 1 expected, short by 1; the location is held',
                  },
                ],
              },
              shortfalls: [
                {
                  sku: 'TG11',
                  locationId: '1002',
                  availableToPromise: '5',
                  expectedDemand: '6.667',
                  shortBy: '1.667',
                },
                {
                  sku: 'TG11',
                  locationId: '3001',
                  availableToPromise: '0',
                  expectedDemand: '6.667',
                  shortBy: '6.667',
                },
                {
                  sku: 'TG12',
                  locationId: '1001',
                  availableToPromise: '0',
                  expectedDemand: '1',
                  shortBy: '1',
                },
                {
                  sku: 'TG12',
                  locationId: '1002',
                  availableToPromise: '0',
                  expectedDemand: '1',
                  shortBy: '1',
                },
                {
                  sku: 'TG12',
                  locationId: '3001',
                  availableToPromise: '0',
                  expectedDemand: '1',
                  shortBy: '1',
                },
              ],
              locationsCovered: 0,
              locationsShort: 3,
            },
          },
          {
            id: 'P-2',
            stockReadiness: {
              check: {
                area: 'INVENTORY',
                passed: true,
                summary: 'Stock covers expected demand for 1 SKU at 1 location',
                findings: [],
              },
              shortfalls: [],
              locationsCovered: 1,
              locationsShort: 0,
            },
          },
          {
            id: 'P-3',
            stockReadiness: {
              check: {
                area: 'INVENTORY',
                passed: false,
                summary: '1 unknown location',
                findings: [
                  {
                    code: 'UNKNOWN_LOCATION',
                    sku: null,
                    locationId: '9999',
                    message: 'Location 9999 is not known to inventory',
                  },
                ],
              },
              shortfalls: [],
              locationsCovered: 1,
              locationsShort: 0,
            },
          },
        ],
      },
    });
    // plant list cached by the previous test; one chunk for the three promotions together
    assert.deepEqual(inv.erp.counts(), {
      A_Plant: 0,
      A_MatlStkInAcctMod: 1,
      A_ProductPlant: 1,
      A_ProductSupplyPlanning: 1,
    });
  });

  test('ERP 503 → BACKEND_UNAVAILABLE on stockReadiness with its path', async () => {
    inv.erp.fail('A_ProductSupplyPlanning', 503);
    try {
      const res = await inv.query(READINESS, {
        r: [{ __typename: 'Promotion', id: 'P-9', terms: terms({ skus: ['TG11'] }) }],
      });
      assert.deepEqual(res, {
        data: { _entities: [{ id: 'P-9', stockReadiness: null }] },
        errors: [
          {
            message: 'erp is unavailable: HTTP 503',
            locations: [{ line: 5, column: 7 }],
            path: ['_entities', 0, 'stockReadiness'],
            extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
          },
        ],
      });
    } finally {
      inv.erp.fail('A_ProductSupplyPlanning', undefined);
    }
  });
});
