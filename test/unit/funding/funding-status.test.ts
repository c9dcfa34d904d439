import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveStatus, remainingOf } from '../../../subgraphs/funding/funding-status.ts';
import {
  FundingStatus,
  FundingType,
  SettlementMethod,
  type Activation,
  type AgreementRecord,
} from '../../../subgraphs/funding/funding-agreement.model.ts';

const record = (over: Partial<AgreementRecord> = {}): AgreementRecord => ({
  id: 'FA1',
  vendorId: 'V1',
  type: FundingType.BILL_BACK,
  activation: 'RELEASED',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  currency: 'EUR',
  sharePercent: '10.00',
  amountPerUnit: null,
  cap: '1000.00',
  committed: '300.00',
  accrued: '200.00',
  eligibility: {
    skus: [],
    excludedSkus: [],
    productGroupIds: [],
    excludedProductGroupIds: [],
    locationIds: [],
    excludedLocationIds: [],
  },
  settlementMethod: SettlementMethod.CREDIT_MEMO,
  settlementCalendar: [],
  externalId: 'FA1',
  ...over,
});

describe('funding status derivation', () => {
  const cases: [string, Activation, Partial<AgreementRecord>, string, FundingStatus][] = [
    ['not released', 'NOT_RELEASED', {}, '2026-06-01', FundingStatus.DRAFT],
    ['not released and past validity', 'NOT_RELEASED', {}, '2027-06-01', FundingStatus.DRAFT],
    ['unknown code', 'UNKNOWN', {}, '2026-06-01', FundingStatus.DRAFT],
    ['released, within validity', 'RELEASED', {}, '2026-06-01', FundingStatus.ACTIVE],
    ['released, on the last day', 'RELEASED', {}, '2026-12-31', FundingStatus.ACTIVE],
    ['released, before validFrom', 'RELEASED', {}, '2025-12-01', FundingStatus.ACTIVE],
    ['released, after validTo', 'RELEASED', {}, '2027-01-01', FundingStatus.EXPIRED],
    ['locked for settlement', 'LOCKED', {}, '2026-06-01', FundingStatus.SUSPENDED],
    ['locked and past validity', 'LOCKED', {}, '2027-01-01', FundingStatus.EXPIRED],
    [
      'released, budget used up',
      'RELEASED',
      { committed: '800.00' },
      '2026-06-01',
      FundingStatus.EXHAUSTED,
    ],
    [
      'released, over budget',
      'RELEASED',
      { accrued: '900.00' },
      '2026-06-01',
      FundingStatus.EXHAUSTED,
    ],
    [
      'released, uncapped',
      'RELEASED',
      { cap: null, accrued: '9000.00' },
      '2026-06-01',
      FundingStatus.ACTIVE,
    ],
    [
      'expired and exhausted',
      'RELEASED',
      { committed: '800.00' },
      '2027-01-01',
      FundingStatus.EXPIRED,
    ],
  ];
  for (const [name, activation, over, today, expected] of cases) {
    test(`${name} → ${expected}`, () => {
      assert.equal(deriveStatus(record({ activation, ...over }), today), expected);
    });
  }

  test('remaining = cap − committed − accrued, floored at 0, null when uncapped', () => {
    assert.equal(remainingOf(record())!.toFixed(2), '500.00');
    assert.equal(remainingOf(record({ committed: '999.995' }))!.toFixed(2), '0.00');
    assert.equal(remainingOf(record({ committed: '0.004', accrued: '0' }))!.toFixed(2), '1000.00');
    assert.equal(remainingOf(record({ cap: null })), null);
  });
});
