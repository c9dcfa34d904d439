import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FundingCapStatus,
  fundingPosition,
  reconciliationReport,
} from '../../../subgraphs/promotion/reconciliation/reconciliation-report.ts';
import type {
  AccrualRow,
  ClaimRow,
} from '../../../subgraphs/promotion/reconciliation/reconciliation-ledger.ts';

const accrual = (seq: number, amount: string, posted = true, claimId: string | null = null) =>
  ({
    id: `P-A${seq}`,
    seq,
    agreementId: 'AG',
    amount,
    currency: 'EUR',
    lineCount: 3,
    postingDate: '2026-12-01',
    createdAt: '2026-12-01T10:00:00.000Z',
    postedAt: posted ? '2026-12-01T10:00:01.000Z' : null,
    erpDocument: posted ? `D${seq}` : null,
    claimId,
  }) satisfies AccrualRow;

const claim = (seq: number, amount: string, kind: 'FINAL' | 'DELTA' = 'FINAL') =>
  ({
    id: `P-C${seq}`,
    seq,
    agreementId: 'AG',
    kind,
    amount,
    currency: 'EUR',
    settlementDate: '2026-12-02',
    createdAt: '2026-12-02T10:00:00.000Z',
    postedAt: '2026-12-02T10:00:01.000Z',
    erpDocument: `S${seq}`,
    accrualDocuments: [],
  }) satisfies ClaimRow;

const position = {
  agreementId: 'AG',
  currency: 'EUR',
  cap: '1000.00',
  accruedTotal: '500.00',
  accruedOpen: '500.00',
};

function report(over: Partial<Parameters<typeof reconciliationReport>[0]> = {}) {
  return reconciliationReport({
    promotionId: 'P',
    agreementId: 'AG',
    currency: 'EUR',
    ended: true,
    totals: { lines: 6, vendorFunded: '30.02', unaccruedLines: 0, unaccruedVendorFunded: '0' },
    accruals: [accrual(1, '10.01', true, 'P-C1'), accrual(2, '20.01', true, 'P-C1')],
    claims: [claim(1, '30.02')],
    erp: {
      accruals: [
        { reference: 'P-A1', document: 'D1', amount: '10.01', currency: 'EUR', settledBy: 'S1' },
        { reference: 'P-A2', document: 'D2', amount: '20.01', currency: 'EUR', settledBy: 'S1' },
      ],
      claims: [
        { reference: 'P-C1', document: 'S1', kind: 'FINAL', amount: '30.02', currency: 'EUR' },
      ],
      position,
      at: '2026-12-02T10:00:02.000Z',
    },
    snapshot: null,
    nearCapPercent: 90,
    ...over,
  });
}

describe('reconciliation report: lines, accruals, claims and the ERP tie out to the cent', () => {
  test('everything agrees: ties out and settled', () => {
    const r = report();
    assert.deepEqual(r.differences, []);
    assert.equal(r.tiesOut, true);
    assert.equal(r.settled, true);
    assert.deepEqual(r.accrued, { amount: '30.02', currency: 'EUR' });
    assert.deepEqual(r.erpClaimed, { amount: '30.02', currency: 'EUR' });
  });

  test('a cent missing in the ERP is a difference naming both amounts', () => {
    const r = report({
      erp: {
        accruals: [
          { reference: 'P-A1', document: 'D1', amount: '10.00', currency: 'EUR', settledBy: null },
          { reference: 'P-A2', document: 'D2', amount: '20.01', currency: 'EUR', settledBy: null },
        ],
        claims: [
          { reference: 'P-C1', document: 'S1', kind: 'FINAL', amount: '30.02', currency: 'EUR' },
        ],
        position,
        at: '2026-12-02T10:00:02.000Z',
      },
    });
    assert.equal(r.tiesOut, false);
    assert.equal(r.settled, false);
    assert.ok(
      r.differences.includes('accrual P-A1: 10.01 here, 10.00 in the ERP'),
      r.differences.join('\n'),
    );
    assert.ok(r.differences.includes('accrued 30.02 here, 30.01 in the ERP'));
  });

  test('lines not yet accrued and accruals not yet posted keep it open', () => {
    const r = report({
      totals: { lines: 7, vendorFunded: '31.02', unaccruedLines: 1, unaccruedVendorFunded: '1.00' },
    });
    assert.equal(r.tiesOut, false);
    assert.deepEqual(r.differences, ['1 sales lines (1.00) are not yet accrued']);
    const pending = report({
      accruals: [accrual(1, '10.01', true, 'P-C1'), accrual(2, '20.01', false)],
    });
    assert.ok(
      pending.differences.some((d) => d.startsWith('20.01 accrued here is not yet posted')),
    );
  });

  test('an ERP document we do not know is a difference', () => {
    const base = report();
    const r = report({
      erp: {
        accruals: [
          ...[
            {
              reference: 'P-A1',
              document: 'D1',
              amount: '10.01',
              currency: 'EUR',
              settledBy: 'S1',
            },
            {
              reference: 'P-A2',
              document: 'D2',
              amount: '20.01',
              currency: 'EUR',
              settledBy: 'S1',
            },
          ],
          { reference: 'X-A1', document: 'D9', amount: '5.00', currency: 'EUR', settledBy: null },
        ],
        claims: [
          { reference: 'P-C1', document: 'S1', kind: 'FINAL', amount: '30.02', currency: 'EUR' },
        ],
        position,
        at: base.checkedAt!,
      },
    });
    assert.ok(r.differences.includes('the ERP holds accrual D9 (5.00) unknown here'));
  });

  test('not ended: ties out but is not settled', () => {
    const r = report({
      ended: false,
      claims: [],
      accruals: [accrual(1, '10.01'), accrual(2, '20.01')],
      erp: {
        accruals: [
          { reference: 'P-A1', document: 'D1', amount: '10.01', currency: 'EUR', settledBy: null },
          { reference: 'P-A2', document: 'D2', amount: '20.01', currency: 'EUR', settledBy: null },
        ],
        claims: [],
        position,
        at: '2026-12-02T10:00:02.000Z',
      },
    });
    assert.equal(r.tiesOut, true);
    assert.equal(r.settled, false);
  });
});

describe('funding position against the cap', () => {
  const pos = (accruedTotal: string, cap: string | null = '1000') => ({
    agreementId: 'AG',
    currency: 'EUR',
    cap,
    accruedTotal,
  });
  test('within, near (from the threshold), exceeded (past 100 %), uncapped', () => {
    assert.equal(fundingPosition(pos('899.99'), '0', 90).status, FundingCapStatus.WITHIN_CAP);
    assert.equal(fundingPosition(pos('899.99'), '0.01', 90).status, FundingCapStatus.NEAR_CAP);
    assert.equal(fundingPosition(pos('1000'), '0', 90).status, FundingCapStatus.NEAR_CAP);
    const over = fundingPosition(pos('1000'), '0.01', 90);
    assert.equal(over.status, FundingCapStatus.CAP_EXCEEDED);
    assert.equal(over.consumedPercent, '100.0');
    assert.equal(fundingPosition(pos('5', null), '0', 90).status, FundingCapStatus.UNCAPPED);
  });
});
