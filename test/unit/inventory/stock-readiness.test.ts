import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { locationDirectory } from '../../../subgraphs/inventory/location-directory.ts';
import { LocationType } from '../../../subgraphs/inventory/location-type.enum.ts';
import type { LocationRecord } from '../../../subgraphs/inventory/ports/location-source.port.ts';
import {
  assessStockReadiness,
  readinessLocations,
  windowDays,
} from '../../../subgraphs/inventory/stock-readiness.ts';

function location(id: string, type: LocationType, channels: SalesChannel[]): LocationRecord {
  return { id, name: id, type, timeZone: 'UTC', regionId: null, country: null, channels };
}

const all = [
  location('A', LocationType.STORE, [SalesChannel.POS]),
  location('B', LocationType.DARK_STORE, [SalesChannel.ECOMMERCE]),
  location('C', LocationType.ONLINE_FC, [SalesChannel.ECOMMERCE, SalesChannel.MARKETPLACE]),
  location('D', LocationType.DC, [SalesChannel.ECOMMERCE]),
  location('E', LocationType.STORE, []),
];
const directory = locationDirectory(all);

describe('stock readiness: locations considered', () => {
  test('explicit location ids, unknown ones apart, duplicates once', () => {
    assert.deepEqual(
      readinessLocations(
        { skus: [], locationIds: ['D', 'X', 'A', 'D'], channels: [], expectedUnitsBySku: [] },
        directory,
      ),
      { locationIds: ['D', 'A'], unknownLocationIds: ['X'] },
    );
  });

  test('otherwise every selling location (not DCs) of the channels', () => {
    assert.deepEqual(
      readinessLocations(
        { skus: [], locationIds: [], channels: [SalesChannel.ECOMMERCE], expectedUnitsBySku: [] },
        directory,
      ),
      { locationIds: ['B', 'C'], unknownLocationIds: [] },
    );
    assert.deepEqual(
      readinessLocations(
        {
          skus: [],
          locationIds: [],
          channels: [SalesChannel.POS, SalesChannel.MARKETPLACE],
          expectedUnitsBySku: [],
        },
        directory,
      ),
      { locationIds: ['A', 'C'], unknownLocationIds: [] },
    );
  });
});

/** The default policy (policies/stock-readiness.yaml), no window end. */
const POLICY = {
  policy: { minCoveragePercent: 100, minDaysOfSupply: 0, minGoPercent: 50 },
  windowDays: null,
};

describe('stock readiness: assessment', () => {
  test('demand split evenly over locations, 3 dp half up, repeated SKU rows summed', () => {
    const result = assessStockReadiness({
      skus: ['S1'],
      locationIds: ['A', 'B', 'C'],
      unknownLocationIds: [],
      expectedUnitsBySku: [
        { sku: 'S1', quantity: '1' },
        { sku: 'S1', quantity: '1' },
      ],
      availableToPromise: (_sku, loc) => (loc === 'A' ? '0.666' : '0.667'),
      ...POLICY,
    });
    assert.deepEqual(result.shortfalls, [
      {
        sku: 'S1',
        locationId: 'A',
        availableToPromise: '0.666',
        expectedDemand: '0.667',
        shortBy: '0.001',
      },
    ]);
    assert.equal(result.locationsCovered, 2);
    assert.equal(result.locationsShort, 1);
    assert.equal(result.check.summary, '1 shortfall at 1 of 3 locations');
  });

  test('SKUs without expected units never fall short', () => {
    const result = assessStockReadiness({
      skus: ['S1', 'S2'],
      locationIds: ['A'],
      unknownLocationIds: [],
      expectedUnitsBySku: [{ sku: 'S2', quantity: '0' }],
      availableToPromise: () => '0',
      ...POLICY,
    });
    assert.deepEqual(result.check, {
      area: 'INVENTORY',
      passed: true,
      summary: 'Stock covers expected demand for 2 SKUs at 1 location',
      findings: [],
    });
  });

  test('no locations to check passes', () => {
    const result = assessStockReadiness({
      skus: ['S1'],
      locationIds: [],
      unknownLocationIds: [],
      expectedUnitsBySku: [{ sku: 'S1', quantity: '5' }],
      availableToPromise: () => '0',
      ...POLICY,
    });
    assert.deepEqual(result, {
      check: { area: 'INVENTORY', passed: true, summary: 'No locations to check', findings: [] },
      shortfalls: [],
      locationsCovered: 0,
      locationsShort: 0,
      locations: [],
      holdsAcceptable: false,
    });
  });

  test('findings capped at 50, the summary says how many more', () => {
    const skus = Array.from({ length: 6 }, (_, i) => `S${i}`);
    const locationIds = Array.from({ length: 10 }, (_, i) => `L${i}`);
    const result = assessStockReadiness({
      skus,
      locationIds,
      unknownLocationIds: ['X1'],
      expectedUnitsBySku: skus.map((sku) => ({ sku, quantity: '100' })),
      availableToPromise: () => '1',
      ...POLICY,
    });
    assert.equal(result.shortfalls.length, 60);
    assert.equal(result.check.findings.length, 50);
    assert.deepEqual(result.check.findings[0], {
      code: 'UNKNOWN_LOCATION',
      sku: null,
      locationId: 'X1',
      message: 'Location X1 is not known to inventory',
      severity: 'BLOCKING',
      evidence: [],
    });
    assert.deepEqual(result.check.findings[1], {
      code: 'STOCK_SHORTFALL',
      sku: 'S0',
      locationId: 'L0',
      message:
        'SKU S0 at location L0: 1 available to promise, 10 expected, short by 9; the location is held',
      severity: 'BLOCKING',
      evidence: [
        { name: 'availableToPromise', value: '1' },
        { name: 'expectedDemand', value: '10' },
        { name: 'shortBy', value: '9' },
      ],
    });
    assert.equal(
      result.check.summary,
      '60 shortfalls at 10 of 10 locations; 1 unknown location; 11 more findings not listed',
    );
    assert.equal(result.check.passed, false);
    assert.equal(result.locationsShort, 10);
    assert.equal(result.locationsCovered, 0);
  });

  test('a quantity that is not a decimal is BAD_USER_INPUT', () => {
    assert.throws(
      () =>
        assessStockReadiness({
          skus: ['S1'],
          locationIds: ['A'],
          unknownLocationIds: [],
          expectedUnitsBySku: [{ sku: 'S1', quantity: 'lots' }],
          availableToPromise: () => '0',
          ...POLICY,
        }),
      { message: 'expectedUnitsBySku quantity for SKU S1 is not a decimal' },
    );
  });
});

describe('stock readiness: a decision per location from the policy', () => {
  const atp: Record<string, string> = { A: '10', B: '6', C: '2', D: '0' };
  const assess = (
    policy: { minCoveragePercent: number; minDaysOfSupply: number; minGoPercent: number },
    windowDays: number | null,
    locationIds = ['A', 'B', 'C', 'D'],
  ) =>
    assessStockReadiness({
      skus: ['S1'],
      locationIds,
      unknownLocationIds: [],
      // 10 units expected at each location.
      expectedUnitsBySku: [{ sku: 'S1', quantity: String(10 * locationIds.length) }],
      availableToPromise: (_sku, loc) => atp[loc]!,
      policy,
      windowDays,
    });

  test('coverage: below minCoveragePercent of the expected demand is HOLD, with the numbers', () => {
    const result = assess({ minCoveragePercent: 50, minDaysOfSupply: 0, minGoPercent: 50 }, null);
    assert.deepEqual(
      result.locations.map((l) => [l.locationId, l.decision, l.lowestCoveragePercent, l.shortSkus]),
      [
        ['A', 'GO', '100.0', 0],
        ['B', 'GO', '60.0', 0],
        ['C', 'HOLD', '20.0', 1],
        ['D', 'HOLD', '0.0', 1],
      ],
    );
    assert.deepEqual(
      result.shortfalls.map((s) => [s.locationId, s.shortBy]),
      [
        ['C', '3'],
        ['D', '5'],
      ],
      'short by what the policy asks (5 units) minus ATP',
    );
    assert.equal(result.check.passed, false);
    assert.equal(result.holdsAcceptable, true, '2 of 4 go ahead: 50 %');
    assert.equal(
      assess({ minCoveragePercent: 50, minDaysOfSupply: 0, minGoPercent: 51 }, null)
        .holdsAcceptable,
      false,
    );
  });

  test('days of supply: ATP over the expected daily rate (window of 10 days: 1 unit a day)', () => {
    const result = assess({ minCoveragePercent: 0, minDaysOfSupply: 5, minGoPercent: 0 }, 10);
    assert.deepEqual(
      result.locations.map((l) => [l.locationId, l.decision, l.lowestDaysOfSupply]),
      [
        ['A', 'GO', '10.0'],
        ['B', 'GO', '6.0'],
        ['C', 'HOLD', '2.0'],
        ['D', 'HOLD', '0.0'],
      ],
    );
    const noEnd = assess({ minCoveragePercent: 0, minDaysOfSupply: 5, minGoPercent: 0 }, null);
    assert.equal(noEnd.check.passed, true, 'without a window end, days of supply are not checked');
    assert.equal(noEnd.locations[0]!.lowestDaysOfSupply, null);
  });

  test('every location held, or none: nothing for an approver to accept', () => {
    const none = assess({ minCoveragePercent: 200, minDaysOfSupply: 0, minGoPercent: 0 }, null);
    assert.ok(none.locations.every((l) => l.decision === 'HOLD'));
    assert.equal(none.holdsAcceptable, false);
    const all = assess({ minCoveragePercent: 0, minDaysOfSupply: 0, minGoPercent: 0 }, null);
    assert.equal(all.check.passed, true);
    assert.equal(all.holdsAcceptable, false);
  });
});

describe('stock readiness: window length', () => {
  test('days between start and end, at least 1; null without both ends', () => {
    assert.equal(windowDays('2026-12-01T00:00:00Z', '2026-12-11T00:00:00Z'), 10);
    assert.equal(windowDays('2026-12-01T00:00:00Z', '2026-12-01T06:00:00Z'), 1);
    assert.equal(windowDays('2026-12-01T00:00:00Z', null), null);
    assert.equal(windowDays('2026-12-02T00:00:00Z', '2026-12-01T00:00:00Z'), null);
  });
});
