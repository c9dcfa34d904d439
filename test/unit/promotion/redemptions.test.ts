import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ForwardedPrincipal } from '../../../subgraphs/shared/forwarded-principal.ts';
import { createHarness, createPublished, type Harness } from './promotion-harness.ts';

const RECORD = `mutation ($channel: SalesChannel!, $lines: [RedemptionLineInput!]!) {
  recordRedemptions(channel: $channel, lines: $lines) {
    recorded duplicates rejected { index transactionId lineNumber code message }
  }
}`;
const TOTALS =
  'units lines discountGiven { amount currency } vendorFunded { amount } retailerFunded { amount }';
const PERFORMANCE = `query ($id: ID!) { promotion(id: $id) { performance {
  totals { ${TOTALS} }
  byChannel { channel totals { ${TOTALS} } }
  byLocation { locationId totals { ${TOTALS} } }
  byDay { day totals { ${TOTALS} } }
  expectedUnits unitsVsExpectedPercent vendorSharePercent lastSoldAt
} } }`;

type Result = {
  recorded: number;
  duplicates: number;
  rejected: { index: number; code: string; transactionId: string; lineNumber: number }[];
};
type Totals = {
  units: string;
  lines: number;
  discountGiven: { amount: string; currency: string };
  vendorFunded: { amount: string };
  retailerFunded: { amount: string };
};
type Performance = {
  totals: Totals;
  byChannel: { channel: string; totals: Totals }[];
  byLocation: { locationId: string; totals: Totals }[];
  byDay: { day: string; totals: Totals }[];
  expectedUnits: string | null;
  unitsVsExpectedPercent: string | null;
  vendorSharePercent: string;
  lastSoldAt: string | null;
};

const VENDOR = 'V000001';
const partner = (vendorId: string): ForwardedPrincipal => ({
  subject: `partner-${vendorId}`,
  tokenClass: 'partner',
  scopes: [],
  partnerId: `partner-${vendorId}`,
  vendorId,
});

describe('recordRedemptions and Promotion.performance', () => {
  let main: Harness;
  /** The harness the helpers below use (the last test swaps in one of its own). */
  let h: Harness;
  let id: string;
  let n = 0;
  const line = (overrides: Record<string, unknown> = {}) => ({
    transactionId: `T-${++n}`,
    lineNumber: 1,
    promotionId: id,
    sku: 'SKU000001',
    locationId: 'S001',
    quantity: '1',
    discount: { amount: '0.33', currency: 'EUR' },
    soldAt: '2026-03-12T10:00:00Z',
    ...overrides,
  });
  const record = (channel: string, lines: unknown[]) =>
    h
      .run<{ recordRedemptions: Result }>(RECORD, { channel, lines })
      .then((d) => d.recordRedemptions);
  const performance = () =>
    h
      .run<{ promotion: { performance: Performance } }>(PERFORMANCE, { id })
      .then((d) => d.promotion.performance);

  before(async () => {
    h = main = await createHarness();
    id = (
      await createPublished(
        h,
        {
          vendorId: VENDOR,
          fundingAgreementId: 'FA-1',
          vendorSharePercent: '50',
          scope: { skus: ['SKU000001'], categoryIds: ['CAT02'] },
          eligibility: { channels: ['ECOMMERCE', 'POS'], locationIds: ['S001', 'S002'] },
          expectedUnits: [{ sku: 'SKU000001', quantity: '8' }],
        },
        ['POS', 'ECOMMERCE'],
      )
    ).id;
    h.clock.set('2026-03-21T00:00:00Z');
  });
  after(() => main.close());

  test('a feed is stored once: a replay changes nothing, a conflicting one is refused', async () => {
    const feed = [
      line({ transactionId: 'R-1', lineNumber: 1 }),
      line({ transactionId: 'R-1', lineNumber: 2, sku: 'SKU000011', quantity: '2' }),
    ];
    assert.deepEqual(await record('POS', feed), { recorded: 2, duplicates: 0, rejected: [] });
    assert.deepEqual(await record('POS', feed), { recorded: 0, duplicates: 2, rejected: [] });
    // The same keys in another channel are other lines.
    assert.deepEqual(await record('ECOMMERCE', feed), { recorded: 2, duplicates: 0, rejected: [] });
    const changed = { ...feed[0], quantity: '3' };
    const replay = await record('POS', [changed, changed, feed[1]]);
    assert.equal(replay.recorded, 0);
    assert.equal(replay.duplicates, 1);
    assert.deepEqual(
      replay.rejected.map((r) => [r.index, r.code]),
      [
        [0, 'CONFLICTING_REPLAY'],
        [1, 'CONFLICTING_REPLAY'],
      ],
    );
    // Twice in one feed: stored once, counted as a duplicate.
    const twice = line();
    assert.deepEqual(await record('POS', [twice, twice]), {
      recorded: 1,
      duplicates: 1,
      rejected: [],
    });
  });

  test('each line is checked against its promotion; the good ones of the feed are stored', async () => {
    const result = await record('POS', [
      line({ promotionId: 'prm_nope' }),
      line({ soldAt: '2026-03-25T00:00:00Z' }), // in the future of the test clock
      line({ soldAt: '2026-03-01T00:00:00Z' }),
      line({ locationId: 'S009' }),
      line({ sku: 'SKU000031' }),
      line({ discount: { amount: '1.00', currency: 'USD' } }),
      line({ quantity: '-1' }), // a return needs a negative discount too
      line({ discount: { amount: '0.333', currency: 'EUR' } }),
      line({ quantity: '0' }),
      line(),
    ]);
    assert.equal(result.recorded, 1);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.code]),
      [
        [0, 'UNKNOWN_PROMOTION'],
        [1, 'INVALID_LINE'],
        [2, 'OUTSIDE_WINDOW'],
        [3, 'LOCATION_NOT_ELIGIBLE'],
        [4, 'SKU_NOT_IN_SCOPE'],
        [5, 'CURRENCY_MISMATCH'],
        [6, 'INVALID_LINE'],
        [7, 'INVALID_LINE'],
        [8, 'INVALID_LINE'],
      ],
    );
    const mobile = await record('MOBILE', [line()]);
    assert.deepEqual(
      mobile.rejected.map((r) => r.code),
      ['NOT_PUBLISHED_IN_CHANNEL'],
    );
  });

  test('a partner reports nothing for another vendor: its promotion does not exist for it', async () => {
    const other = await h.exec<{ recordRedemptions: Result }>(
      RECORD,
      { channel: 'POS', lines: [line()] },
      partner('V000002'),
    );
    assert.deepEqual(
      other.data?.recordRedemptions.rejected.map((r) => r.code),
      ['UNKNOWN_PROMOTION'],
    );
  });

  test('performance ties out: totals = Σ by channel = Σ by location = Σ by day, returns net', async () => {
    const fresh = await createHarness();
    try {
      h = fresh;
      id = (
        await createPublished(
          fresh,
          {
            vendorId: VENDOR,
            fundingAgreementId: 'FA-1',
            vendorSharePercent: '33.333',
            scope: { skus: ['SKU000001', 'SKU000002'] },
            eligibility: { channels: ['ECOMMERCE', 'POS'] },
            window: {
              startsAt: '2026-03-10T00:00:00Z',
              endsAt: '2026-03-20T00:00:00Z',
              timeZone: 'Europe/Berlin',
            },
            expectedUnits: [
              { sku: 'SKU000001', quantity: '10' },
              { sku: 'SKU000002', quantity: '6' },
            ],
          },
          ['POS', 'ECOMMERCE'],
        )
      ).id;
      fresh.clock.set('2026-03-21T00:00:00Z');
      const result = await record('POS', [
        // 23:30 UTC on the 11th is the 12th in Berlin.
        line({ soldAt: '2026-03-11T23:30:00Z', discount: { amount: '1.01', currency: 'EUR' } }),
        line({ locationId: 'S002', quantity: '3', discount: { amount: '2.99', currency: 'EUR' } }),
        line({ quantity: '-1', discount: { amount: '-1.01', currency: 'EUR' } }),
      ]);
      assert.equal(result.recorded, 3);
      await record('ECOMMERCE', [
        line({
          sku: 'SKU000002',
          locationId: 'D001',
          quantity: '2.5',
          discount: { amount: '0.05', currency: 'EUR' },
          soldAt: '2026-03-19T22:59:59Z',
        }),
      ]);
      const p = await performance();
      // 1 + 3 − 1 + 2.5 units; 1.01 + 2.99 − 1.01 + 0.05 discount; the vendor's third per line:
      // 0.34 + 1.00 − 0.34 + 0.02 (each rounded half away from zero).
      assert.deepEqual(p.totals, {
        units: '5.5',
        lines: 4,
        discountGiven: { amount: '3.04', currency: 'EUR' },
        vendorFunded: { amount: '1.02' },
        retailerFunded: { amount: '2.02' },
      });
      assert.equal(p.expectedUnits, '16');
      assert.equal(p.unitsVsExpectedPercent, '34.4');
      assert.equal(p.vendorSharePercent, '33.333');
      assert.equal(p.lastSoldAt, '2026-03-19T22:59:59.000Z');
      assert.deepEqual(
        p.byDay.map((d) => [d.day, d.totals.units]),
        [
          ['2026-03-12', '3'],
          ['2026-03-19', '2.5'],
        ],
      );
      const sum = (rows: { totals: Totals }[], pick: (t: Totals) => string) =>
        rows.reduce((s, r) => s + Math.round(Number(pick(r.totals)) * 1000), 0) / 1000;
      for (const rows of [p.byChannel, p.byLocation, p.byDay]) {
        assert.equal(
          sum(rows, (t) => t.units),
          5.5,
        );
        assert.equal(
          sum(rows, (t) => t.discountGiven.amount),
          3.04,
        );
        assert.equal(
          sum(rows, (t) => t.vendorFunded.amount),
          1.02,
        );
      }
      assert.deepEqual(
        p.byChannel.map((c) => [c.channel, c.totals.units]),
        [
          ['ECOMMERCE', '2.5'],
          ['POS', '3'],
        ],
      );
      assert.deepEqual(
        p.byLocation.map((c) => [c.locationId, c.totals.units]),
        [
          ['D001', '2.5'],
          ['S001', '0'],
          ['S002', '3'],
        ],
      );
      // The partner of the vendor sees it; finance-only retailerFunded is the gateway's to scope.
      const own = await fresh.exec(PERFORMANCE, { id }, partner(VENDOR));
      assert.equal(own.errors, undefined);
      const theirs = await fresh.exec<{ promotion: unknown }>(
        PERFORMANCE,
        { id },
        partner('V000002'),
      );
      assert.equal(theirs.data?.promotion ?? null, null);
    } finally {
      await fresh.close();
    }
  });
});
