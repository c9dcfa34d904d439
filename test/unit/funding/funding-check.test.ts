import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FundingViolation,
  evaluateFundingCheck,
  listPricesNeeded,
  productGroupsNeeded,
  type FundingTerms,
} from '../../../subgraphs/funding/funding-check.ts';
import {
  FundingType,
  SettlementMethod,
  type AgreementRecord,
  type ListPrice,
} from '../../../subgraphs/funding/funding-agreement.model.ts';

const agreement = (over: Partial<AgreementRecord> = {}): AgreementRecord => ({
  id: 'FA1',
  vendorId: 'V1',
  type: FundingType.OFF_INVOICE,
  activation: 'RELEASED',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  currency: 'EUR',
  sharePercent: '10.00',
  amountPerUnit: null,
  cap: '10000.00',
  committed: '2000.00',
  accrued: '1500.00',
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

const terms = (over: Partial<FundingTerms> = {}): FundingTerms => ({
  vendorId: 'V1',
  fundingAgreementId: 'FA1',
  vendorSharePercent: null,
  skus: ['A', 'B'],
  locationIds: ['S001'],
  startsAt: '2026-11-27T00:00:00.000Z',
  endsAt: '2026-12-01T00:00:00.000Z',
  currency: 'EUR',
  offerKind: 'AMOUNT_OFF',
  percentOff: null,
  amountOff: { amount: '2.00', currency: 'EUR' },
  fixedPrice: null,
  expectedUnitsBySku: [
    { sku: 'A', quantity: '100' },
    { sku: 'B', quantity: '50' },
  ],
  ...over,
});

const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe('funding check (pure)', () => {
  test('no vendor: passes as not vendor funded, nothing else is looked at', () => {
    assert.deepEqual(evaluateFundingCheck({ terms: terms({ vendorId: null }), agreement: null }), {
      passed: true,
      summary: 'not vendor funded',
      findings: [],
      violations: [],
      agreementId: null,
      expectedVendorCost: null,
      remainingAfter: null,
    });
    assert.deepEqual(
      listPricesNeeded(terms({ vendorId: null, offerKind: 'PERCENT_OFF' }), agreement()),
      [],
    );
  });

  test('NO_AGREEMENT when the promotion names none or it does not exist', () => {
    assert.deepEqual(
      evaluateFundingCheck({ terms: terms({ fundingAgreementId: null }), agreement: null }),
      {
        passed: false,
        summary: 'funding check failed: NO_AGREEMENT',
        findings: [
          {
            code: FundingViolation.NO_AGREEMENT,
            sku: null,
            locationId: null,
            message: 'promotion is funded by vendor V1 but names no funding agreement',
            severity: 'BLOCKING',
            evidence: [],
          },
        ],
        violations: [FundingViolation.NO_AGREEMENT],
        agreementId: null,
        expectedVendorCost: null,
        remainingAfter: null,
      },
    );
    const missing = evaluateFundingCheck({
      terms: terms({ fundingAgreementId: 'FA9' }),
      agreement: null,
    });
    assert.equal(missing.findings[0]!.message, 'funding agreement FA9 does not exist');
  });

  test('AMOUNT_OFF on the agreement share: Σ units × amountOff × share, remaining after', () => {
    // 150 units × 2.00 × 10 % = 30.00; remaining 10000 − 2000 − 1500 = 6500.00
    assert.deepEqual(evaluateFundingCheck({ terms: terms(), agreement: agreement() }), {
      passed: true,
      summary:
        'funded by agreement FA1: expected vendor cost 30.00 EUR, 6470.00 EUR remaining after',
      findings: [],
      violations: [],
      agreementId: 'FA1',
      expectedVendorCost: eur('30.00'),
      remainingAfter: eur('6470.00'),
    });
  });

  test("the promotion's vendorSharePercent wins over the agreement's share", () => {
    const result = evaluateFundingCheck({
      terms: terms({ vendorSharePercent: '50' }),
      agreement: agreement(),
    });
    assert.deepEqual(result.expectedVendorCost, eur('150.00'));
  });

  test('PERCENT_OFF uses the list price; the total is rounded half-up to 2 dp once', () => {
    const t = terms({
      offerKind: 'PERCENT_OFF',
      percentOff: '10',
      amountOff: null,
      vendorSharePercent: '100',
      skus: ['A'],
      expectedUnitsBySku: [{ sku: 'A', quantity: '5' }],
    });
    assert.deepEqual(listPricesNeeded(t, agreement()), ['A']);
    const prices = new Map<string, ListPrice | null>([['A', { amount: '4.97', currency: 'EUR' }]]);
    // 4.97 × 10 % = 0.497 × 5 = 2.485 → 2.49 (half-up; half-even would give 2.48)
    assert.deepEqual(
      evaluateFundingCheck({ terms: t, agreement: agreement(), listPrices: prices })
        .expectedVendorCost,
      eur('2.49'),
    );
  });

  test('FIXED_PRICE: discount = list price − fixed price, never below 0', () => {
    const t = terms({
      offerKind: 'FIXED_PRICE',
      amountOff: null,
      fixedPrice: { amount: '14.99', currency: 'EUR' },
      expectedUnitsBySku: [
        { sku: 'A', quantity: '10' },
        { sku: 'B', quantity: '7' },
      ],
    });
    const prices = new Map<string, ListPrice | null>([
      ['A', { amount: '19.99', currency: 'EUR' }],
      ['B', { amount: '12.00', currency: 'EUR' }],
    ]);
    // (10 × 5.00 + 7 × 0) × 10 % = 5.00
    assert.deepEqual(
      evaluateFundingCheck({ terms: t, agreement: agreement(), listPrices: prices })
        .expectedVendorCost,
      eur('5.00'),
    );
  });

  test('a missing list price leaves the cost unestimated (and the cap unchecked)', () => {
    const t = terms({ offerKind: 'PERCENT_OFF', percentOff: '20', amountOff: null });
    const prices = new Map<string, ListPrice | null>([
      ['A', { amount: '19.99', currency: 'EUR' }],
      ['B', null],
    ]);
    assert.deepEqual(
      evaluateFundingCheck({ terms: t, agreement: agreement(), listPrices: prices }),
      {
        passed: true,
        summary: 'funded by agreement FA1; vendor cost not estimated: no list price in EUR for B',
        findings: [],
        violations: [],
        agreementId: 'FA1',
        expectedVendorCost: null,
        remainingAfter: null,
      },
    );
  });

  test('BUY_X_GET_Y and agreements without a share are not estimated', () => {
    assert.equal(
      evaluateFundingCheck({ terms: terms({ offerKind: 'BUY_X_GET_Y' }), agreement: agreement() })
        .summary,
      'funded by agreement FA1; vendor cost not estimated: vendor cost of BUY_X_GET_Y offers is not estimated',
    );
    assert.equal(
      evaluateFundingCheck({
        terms: terms(),
        agreement: agreement({ type: FundingType.LUMP_SUM, sharePercent: null }),
      }).summary,
      'funded by agreement FA1; vendor cost not estimated: agreement FA1 has no share or per-unit amount',
    );
  });

  test('SCAN_BACK per unit: Σ units × amountPerUnit, share ignored; CAP_EXCEEDED when over remaining', () => {
    const scanBack = agreement({
      type: FundingType.SCAN_BACK,
      amountPerUnit: '0.50',
      sharePercent: null,
      cap: '1000.00',
      committed: '900.00',
      accrued: '50.00',
    });
    const t = terms({
      vendorSharePercent: '80',
      offerKind: 'PERCENT_OFF',
      percentOff: '10',
      amountOff: null,
    });
    assert.deepEqual(listPricesNeeded(t, scanBack), []);
    // 150 × 0.50 = 75.00 > 50.00 remaining
    assert.deepEqual(evaluateFundingCheck({ terms: t, agreement: scanBack }), {
      passed: false,
      summary: 'funding check failed: CAP_EXCEEDED',
      findings: [
        {
          code: FundingViolation.CAP_EXCEEDED,
          sku: null,
          locationId: null,
          message:
            'expected vendor cost 75.00 EUR exceeds the 50.00 EUR remaining on agreement FA1',
          severity: 'BLOCKING',
          evidence: [],
        },
      ],
      violations: [FundingViolation.CAP_EXCEEDED],
      agreementId: 'FA1',
      expectedVendorCost: eur('75.00'),
      remainingAfter: eur('-25.00'),
    });
  });

  test('cost exactly equal to remaining passes with 0.00 after', () => {
    const a = agreement({ cap: '2030.00', committed: '500.00', accrued: '1500.00' });
    const result = evaluateFundingCheck({ terms: terms(), agreement: a });
    assert.deepEqual([result.passed, result.remainingAfter], [true, eur('0.00')]);
  });

  test('an uncapped agreement is never CAP_EXCEEDED and has no remainingAfter', () => {
    const result = evaluateFundingCheck({ terms: terms(), agreement: agreement({ cap: null }) });
    assert.deepEqual(
      [result.passed, result.expectedVendorCost, result.remainingAfter],
      [true, eur('30.00'), null],
    );
  });

  test('NOT_RELEASED for a draft or locked agreement', () => {
    for (const activation of ['NOT_RELEASED', 'LOCKED', 'UNKNOWN'] as const) {
      const result = evaluateFundingCheck({ terms: terms(), agreement: agreement({ activation }) });
      assert.deepEqual(result.findings, [
        {
          code: FundingViolation.NOT_RELEASED,
          sku: null,
          locationId: null,
          message: 'agreement FA1 is not released',
          severity: 'BLOCKING',
          evidence: [],
        },
      ]);
    }
  });

  test('OUTSIDE_VALIDITY on UTC days; endsAt is exclusive', () => {
    const inside = evaluateFundingCheck({
      terms: terms({ endsAt: '2027-01-01T00:00:00Z' }),
      agreement: agreement(),
    });
    assert.deepEqual(inside.violations, []);
    const outside = evaluateFundingCheck({
      terms: terms({ endsAt: '2027-01-01T00:00:01Z' }),
      agreement: agreement(),
    });
    assert.deepEqual(outside.findings, [
      {
        code: FundingViolation.OUTSIDE_VALIDITY,
        sku: null,
        locationId: null,
        message:
          'promotion runs 2026-11-27..2027-01-01, agreement FA1 is valid 2026-01-01..2026-12-31',
        severity: 'BLOCKING',
        evidence: [],
      },
    ]);
    const early = evaluateFundingCheck({
      terms: terms({ startsAt: '2025-12-31T23:00:00Z' }),
      agreement: agreement(),
    });
    assert.deepEqual(early.violations, [FundingViolation.OUTSIDE_VALIDITY]);
  });

  test('SKU_NOT_ELIGIBLE: explicit SKUs, product groups and exclusions', () => {
    const a = agreement({
      eligibility: {
        skus: ['A'],
        excludedSkus: ['X'],
        productGroupIds: ['G1'],
        excludedProductGroupIds: [],
        locationIds: [],
        excludedLocationIds: [],
      },
    });
    const t = terms({ skus: ['A', 'B', 'C', 'X'] });
    assert.deepEqual(productGroupsNeeded(t, a), ['B', 'C']);
    const groups = new Map<string, string | null>([
      ['B', 'G1'],
      ['C', 'G2'],
    ]);
    assert.deepEqual(
      evaluateFundingCheck({ terms: t, agreement: a, productGroups: groups }).findings,
      [
        {
          code: FundingViolation.SKU_NOT_ELIGIBLE,
          sku: null,
          locationId: null,
          message: 'SKUs not eligible under agreement FA1: C, X',
          severity: 'BLOCKING',
          evidence: [],
        },
      ],
    );
  });

  test('LOCATION_NOT_ELIGIBLE: excluded plant, plant outside the list, every location vs a restriction', () => {
    const restricted = agreement({
      eligibility: {
        skus: [],
        excludedSkus: [],
        productGroupIds: [],
        excludedProductGroupIds: [],
        locationIds: ['S002', 'S003'],
        excludedLocationIds: [],
      },
    });
    assert.equal(
      evaluateFundingCheck({
        terms: terms({ locationIds: ['S002', 'S009'] }),
        agreement: restricted,
      }).findings[0]!.message,
      'locations not eligible under agreement FA1: S009',
    );
    assert.equal(
      evaluateFundingCheck({ terms: terms({ locationIds: [] }), agreement: restricted })
        .findings[0]!.message,
      'promotion runs at every location, agreement FA1 covers only S002, S003',
    );
    const excluding = agreement({
      eligibility: { ...restricted.eligibility, locationIds: [], excludedLocationIds: ['S001'] },
    });
    assert.deepEqual(evaluateFundingCheck({ terms: terms(), agreement: excluding }).findings, [
      {
        code: FundingViolation.LOCATION_NOT_ELIGIBLE,
        sku: null,
        locationId: null,
        message: 'locations not eligible under agreement FA1: S001',
        severity: 'BLOCKING',
        evidence: [],
      },
    ]);
  });

  test('CURRENCY_MISMATCH skips the cap comparison', () => {
    const result = evaluateFundingCheck({
      terms: terms({ currency: 'USD', amountOff: { amount: '2.00', currency: 'USD' } }),
      agreement: agreement({ cap: '1.00' }),
    });
    assert.deepEqual(result, {
      passed: false,
      summary: 'funding check failed: CURRENCY_MISMATCH',
      findings: [
        {
          code: FundingViolation.CURRENCY_MISMATCH,
          sku: null,
          locationId: null,
          message: 'promotion currency USD differs from agreement FA1 currency EUR',
          severity: 'BLOCKING',
          evidence: [],
        },
      ],
      violations: [FundingViolation.CURRENCY_MISMATCH],
      agreementId: 'FA1',
      expectedVendorCost: { amount: '30.00', currency: 'USD' },
      remainingAfter: null,
    });
  });

  test('several violations are reported in enum order', () => {
    const result = evaluateFundingCheck({
      terms: terms({ endsAt: '2027-03-01T00:00:00Z', currency: 'USD' }),
      agreement: agreement({ activation: 'NOT_RELEASED' }),
    });
    assert.deepEqual(result.violations, [
      FundingViolation.NOT_RELEASED,
      FundingViolation.OUTSIDE_VALIDITY,
      FundingViolation.CURRENCY_MISMATCH,
    ]);
    assert.equal(
      result.summary,
      'funding check failed: NOT_RELEASED, OUTSIDE_VALIDITY, CURRENCY_MISMATCH',
    );
  });

  test("VENDOR_MISMATCH alone: nothing about another vendor's agreement is said or costed", () => {
    // The report is stored on the promotion, which its vendor's partner reads: the owner, the
    // validity, the covered SKUs and locations, the currency and the budget of another vendor's
    // agreement must not appear, however many other rules it would break.
    const result = evaluateFundingCheck({
      terms: terms({
        vendorId: 'V2',
        endsAt: '2027-03-01T00:00:00Z',
        skus: ['NOT-COVERED'],
        currency: 'USD',
      }),
      agreement: agreement({
        activation: 'NOT_RELEASED',
        eligibility: { ...agreement().eligibility, skus: ['A'], locationIds: ['S999'] },
      }),
    });
    assert.deepEqual(result, {
      passed: false,
      summary: 'funding check failed: VENDOR_MISMATCH',
      findings: [
        {
          code: FundingViolation.VENDOR_MISMATCH,
          sku: null,
          locationId: null,
          message: 'agreement FA1 is not an agreement of vendor V2',
          severity: 'BLOCKING',
          evidence: [],
        },
      ],
      violations: [FundingViolation.VENDOR_MISMATCH],
      agreementId: 'FA1',
      expectedVendorCost: null,
      remainingAfter: null,
    });
  });
});
