import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FindingSeverity, ReadinessArea } from '../../../subgraphs/shared/canonical/enums.ts';
import { plannedReplenishments } from '../../../subgraphs/promotion/replenishment/replenishment-plan.ts';

const shortfall = (sku: string, locationId: string, shortBy: string) => ({
  code: 'STOCK_SHORTFALL',
  sku,
  locationId,
  message: `${sku} at ${locationId}`,
  severity: FindingSeverity.BLOCKING,
  evidence: [{ name: 'shortBy', value: shortBy }],
});
const hold = (locationId: string) => ({
  locationId,
  since: '2026-12-01T00:00:00.000Z',
  reason: 'short',
  releasedAt: null,
  releaseReason: null,
});

describe('replenishments planned for accepted holds', () => {
  const checks = [
    {
      area: ReadinessArea.INVENTORY,
      passed: false,
      summary: '',
      findings: [
        shortfall('B', 'S002', '1.667'),
        shortfall('A', 'S002', '3'),
        shortfall('A', 'S001', '2'),
        { ...shortfall('A', 'X', '1'), code: 'UNKNOWN_LOCATION', sku: null },
      ],
    },
  ];

  test('one per SKU short at a held location, whole units, stable references', () => {
    const planned = plannedReplenishments({
      promotionId: 'prm_1',
      version: 3,
      checks,
      holds: [hold('S002')],
      startsAt: '2026-12-10T00:00:00.000Z',
      now: new Date('2026-12-01T12:00:00.000Z'),
    });
    assert.deepEqual(
      planned.map((r) => [r.reference, r.sku, r.locationId, r.quantity, r.neededBy, r.status]),
      [
        ['prm_1-3-R1', 'A', 'S002', '3', '2026-12-10', 'PENDING'],
        ['prm_1-3-R2', 'B', 'S002', '2', '2026-12-10', 'PENDING'],
      ],
    );
  });

  test('a promotion already begun needs the stock today', () => {
    const [first] = plannedReplenishments({
      promotionId: 'prm_1',
      version: 3,
      checks,
      holds: [hold('S001')],
      startsAt: '2026-11-01T00:00:00.000Z',
      now: new Date('2026-12-01T12:00:00.000Z'),
    });
    assert.equal(first!.neededBy, '2026-12-01');
  });
});
