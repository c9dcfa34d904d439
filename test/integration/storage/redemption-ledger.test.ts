import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { createPgliteDatabase } from '../../../subgraphs/promotion/storage/pglite-database.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { RedemptionLedger } from '../../../subgraphs/promotion/redemptions/redemption-ledger.ts';
import type { RedemptionLineData } from '../../../subgraphs/promotion/redemptions/redemption-line.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { buildRecord, createChange, createTestSchema, pgSkipReason } from './storage-fixtures.ts';

type Subject = { db: SqlDatabase; close(): Promise<void> };
const RECEIVED = new Date('2026-03-12T12:00:00Z');

/** The sales-line ledger's SQL on both databases: idempotent inserts and the sums. */
function ledgerSuite(name: string, open: () => Promise<Subject>, skip: string | false) {
  describe(`redemption ledger: ${name}`, { skip }, () => {
    let subject: Subject;
    let ledger: RedemptionLedger;
    const line = (overrides: Partial<RedemptionLineData>): RedemptionLineData => ({
      transactionId: 'T-1',
      lineNumber: 1,
      promotionId: 'rl-1',
      sku: 'SKU000001',
      locationId: 'S001',
      quantity: '1',
      discount: '0.05',
      currency: 'EUR',
      soldAt: '2026-03-12T10:00:00.000Z',
      ...overrides,
    });
    before(async () => {
      subject = await open();
      await runMigrations(subject.db);
      await new PostgresPromotionRepository(subject.db).commit(createChange(buildRecord('rl-1')));
      ledger = new RedemptionLedger(subject.db);
    });
    after(() => subject?.close());

    test('a line is inserted once; the stored one comes back for a replay', async () => {
      const lines = [line({}), line({ lineNumber: 2, quantity: '-2.5', discount: '-0.15' })];
      const first = await ledger.record(SalesChannel.POS, lines, 'pos-1', RECEIVED);
      assert.equal(first.inserted.size, 2);
      const again = await ledger.record(
        SalesChannel.POS,
        [line({ quantity: '7' }), line({ lineNumber: 3 })],
        'pos-1',
        RECEIVED,
      );
      assert.equal(again.inserted.size, 1);
      // As stored: numeric(15, 3) units.
      assert.deepEqual([...again.stored.values()], [line({ quantity: '1.000' })]);
    });

    test('sums in all, by channel, location and local day; vendor share rounded per line', async () => {
      await ledger.record(
        SalesChannel.ECOMMERCE,
        [line({ locationId: 'D001', soldAt: '2026-03-12T23:30:00.000Z', discount: '0.01' })],
        'web-1',
        new Date('2026-03-13T00:00:00Z'),
      );
      const b = await ledger.breakdown('rl-1', 'Europe/Berlin', '50');
      // Lines: +0.05 (S001), −0.15 (S001), +0.05 (S001, line 3), +0.01 (D001, the 13th in Berlin).
      // Half of each, rounded away from zero: 0.03 − 0.08 + 0.03 + 0.01 = −0.01.
      assert.deepEqual(b.total, {
        units: '0.500',
        discount: '-0.04',
        lines: 4,
        vendorShare: '-0.01',
      });
      assert.deepEqual(
        b.byChannel.map((r) => [r.channel, r.discount]),
        [
          ['ECOMMERCE', '0.01'],
          ['POS', '-0.05'],
        ],
      );
      assert.deepEqual(
        b.byDay.map((r) => [r.day, r.units]),
        [
          ['2026-03-12', '-0.500'],
          ['2026-03-13', '1.000'],
        ],
      );
      assert.equal(b.lastSoldAt, '2026-03-12T23:30:00.000Z');
      assert.equal(b.lastReceivedAt, '2026-03-13T00:00:00.000Z');
      const none = await ledger.breakdown('rl-none', 'UTC', '0');
      assert.deepEqual(none.total, { units: '0', discount: '0', lines: 0, vendorShare: '0' });
    });
  });
}

ledgerSuite(
  'PGlite',
  async () => {
    const db = await createPgliteDatabase();
    return { db, close: () => db.close() };
  },
  false,
);

const pgSkip = await pgSkipReason();
ledgerSuite(
  'PostgreSQL server (random schema)',
  async () => {
    const schema = await createTestSchema();
    return { db: schema.open(), close: () => schema.drop() };
  },
  pgSkip,
);
