import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { SqlExecutor } from '../storage/sql-database.ts';
import { lineKey, type RedemptionLineData } from './redemption-line.ts';

/** Units, discount given and lines of one group of sales lines (decimal strings). */
export type RedemptionTotals = {
  units: string;
  discount: string;
  lines: number;
  vendorShare: string;
};

export type RedemptionBreakdown = {
  total: RedemptionTotals;
  byChannel: (RedemptionTotals & { channel: SalesChannel })[];
  byLocation: (RedemptionTotals & { locationId: string })[];
  /** Calendar days in the promotion's time zone (YYYY-MM-DD). */
  byDay: (RedemptionTotals & { day: string })[];
  lastSoldAt: string | null;
  lastReceivedAt: string | null;
};

type StoredRow = {
  transaction_id: string;
  line_number: number;
  promotion_id: string;
  sku: string;
  location_id: string;
  quantity: string;
  discount: string;
  currency: string;
  sold_at: string;
};

/**
 * The recorded sales lines (redemption_lines). Recording is idempotent per channel, transaction
 * and line number: a line already stored is not written again, and the stored one is returned so
 * the caller can tell a duplicate from a conflicting replay.
 */
export class RedemptionLedger {
  constructor(private readonly db: SqlExecutor) {}

  async record(
    channel: SalesChannel,
    lines: readonly RedemptionLineData[],
    recordedBy: string,
    receivedAt: Date,
  ): Promise<{ inserted: Set<string>; stored: Map<string, RedemptionLineData> }> {
    const inserted = new Set<string>();
    const stored = new Map<string, RedemptionLineData>();
    if (!lines.length) return { inserted, stored };
    const column = <K extends keyof RedemptionLineData>(key: K) => lines.map((l) => l[key]);
    const { rows } = await this.db.query<{ transaction_id: string; line_number: number }>(
      `INSERT INTO redemption_lines (channel, transaction_id, line_number, promotion_id, sku,
         location_id, quantity, discount, currency, sold_at, received_at, recorded_by)
       SELECT $1, t.* , $11::timestamptz, $12 FROM unnest($2::text[], $3::int[], $4::text[],
         $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::text[], $10::timestamptz[]) AS t
       ON CONFLICT DO NOTHING
       RETURNING transaction_id, line_number`,
      [
        channel,
        column('transactionId'),
        column('lineNumber'),
        column('promotionId'),
        column('sku'),
        column('locationId'),
        column('quantity'),
        column('discount'),
        column('currency'),
        column('soldAt'),
        receivedAt.toISOString(),
        recordedBy,
      ],
    );
    for (const row of rows) {
      inserted.add(lineKey({ transactionId: row.transaction_id, lineNumber: row.line_number }));
    }
    const others = lines.filter((l) => !inserted.has(lineKey(l)));
    if (others.length) {
      const found = await this.db.query<StoredRow>(
        `SELECT transaction_id, line_number, promotion_id, sku, location_id, quantity::text,
                discount::text, currency, sold_at
           FROM redemption_lines
          WHERE channel = $1 AND (transaction_id, line_number) IN
                (SELECT * FROM unnest($2::text[], $3::int[]))`,
        [channel, others.map((l) => l.transactionId), others.map((l) => l.lineNumber)],
      );
      for (const row of found.rows) {
        const line = fromRow(row);
        stored.set(lineKey(line), line);
      }
    }
    return { inserted, stored };
  }

  /**
   * One promotion's lines summed in all, by channel, location and day (in `timeZone`), with the
   * vendor's share of each line's discount (`sharePercent`) rounded to the cent per line, half
   * away from zero, so the sum is what per-line accruals add up to.
   */
  async breakdown(
    promotionId: string,
    timeZone: string,
    sharePercent: string,
  ): Promise<RedemptionBreakdown> {
    const { rows } = await this.db.query<{
      channel: string | null;
      location_id: string | null;
      day: string | null;
      units: string;
      discount: string;
      lines: string | number;
      vendor_share: string;
      last_sold_at: string | Date | null;
      last_received_at: string | Date | null;
    }>(
      `SELECT channel, location_id, to_char(sold_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day,
              coalesce(sum(quantity), 0)::text AS units,
              coalesce(sum(discount), 0)::text AS discount, count(*) AS lines,
              coalesce(sum(round(discount * $3::numeric / 100, 2)), 0)::text AS vendor_share,
              max(sold_at) AS last_sold_at, max(received_at) AS last_received_at
         FROM redemption_lines WHERE promotion_id = $1
        GROUP BY GROUPING SETS ((channel), (location_id),
                 (to_char(sold_at AT TIME ZONE $2, 'YYYY-MM-DD')), ())
        ORDER BY 1, 2, 3`,
      [promotionId, timeZone, sharePercent],
    );
    const totals = (r: (typeof rows)[number]): RedemptionTotals => ({
      units: r.units,
      discount: r.discount,
      lines: Number(r.lines),
      vendorShare: r.vendor_share,
    });
    const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
    const all = rows.find((r) => r.channel === null && r.location_id === null && r.day === null);
    return {
      total: all ? totals(all) : { units: '0', discount: '0', lines: 0, vendorShare: '0' },
      byChannel: rows
        .filter((r) => r.channel !== null)
        .map((r) => ({ channel: r.channel as SalesChannel, ...totals(r) })),
      byLocation: rows
        .filter((r) => r.location_id !== null)
        .map((r) => ({ locationId: r.location_id!, ...totals(r) })),
      byDay: rows.filter((r) => r.day !== null).map((r) => ({ day: r.day!, ...totals(r) })),
      lastSoldAt: iso(all?.last_sold_at ?? null),
      lastReceivedAt: iso(all?.last_received_at ?? null),
    };
  }
}

function fromRow(row: StoredRow): RedemptionLineData {
  return {
    transactionId: row.transaction_id,
    lineNumber: Number(row.line_number),
    promotionId: row.promotion_id,
    sku: row.sku,
    locationId: row.location_id,
    quantity: row.quantity,
    discount: row.discount,
    currency: row.currency,
    soldAt: new Date(row.sold_at).toISOString(),
  };
}
