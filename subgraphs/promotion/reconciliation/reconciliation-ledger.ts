import type { SqlDatabase, SqlExecutor } from '../storage/sql-database.ts';
import { toInt, toIso } from '../storage/sql-database.ts';

export type AccrualRow = {
  id: string;
  seq: number;
  agreementId: string;
  amount: string;
  currency: string;
  lineCount: number;
  postingDate: string;
  createdAt: string;
  postedAt: string | null;
  erpDocument: string | null;
  claimId: string | null;
};

export type ClaimRow = {
  id: string;
  seq: number;
  agreementId: string;
  kind: 'FINAL' | 'DELTA';
  amount: string;
  currency: string;
  settlementDate: string;
  createdAt: string;
  postedAt: string | null;
  erpDocument: string | null;
  /** ERP documents of the accruals it settles (those with an amount). */
  accrualDocuments: string[];
};

/** The last reconciliation's reading of the ERP (funding_snapshots). */
export type FundingSnapshot = {
  promotionId: string;
  agreementId: string;
  currency: string;
  cap: string | null;
  agreementAccrued: string;
  erpAccrued: string;
  erpClaimed: string;
  tiesOut: boolean;
  checkedAt: string;
};

/** What the recorded sales lines owe the promotion's vendor, accrued or not yet. */
export type LineTotals = {
  lines: number;
  vendorFunded: string;
  unaccruedLines: number;
  unaccruedVendorFunded: string;
};

type AccrualDbRow = {
  id: string;
  seq: number | string;
  agreement_id: string;
  amount: string;
  currency: string;
  line_count: number | string;
  posting_date: string;
  created_at: string | Date;
  posted_at: string | Date | null;
  erp_document: string | null;
  claim_id: string | null;
};

type ClaimDbRow = {
  id: string;
  seq: number | string;
  agreement_id: string;
  kind: 'FINAL' | 'DELTA';
  amount: string;
  currency: string;
  settlement_date: string;
  created_at: string | Date;
  posted_at: string | Date | null;
  erp_document: string | null;
  documents: string[] | null;
};

const ACCRUAL_COLUMNS = `id, seq, agreement_id, amount::text, currency, line_count,
  to_char(posting_date, 'YYYY-MM-DD') AS posting_date, created_at, posted_at, erp_document, claim_id`;
const CLAIM_COLUMNS = `c.id, c.seq, c.agreement_id, c.kind, c.amount::text, c.currency,
  to_char(c.settlement_date, 'YYYY-MM-DD') AS settlement_date, c.created_at, c.posted_at,
  c.erp_document,
  (SELECT array_agg(a.erp_document ORDER BY a.seq) FROM funding_accruals a
    WHERE a.claim_id = c.id AND a.erp_document IS NOT NULL) AS documents`;

/**
 * The stored side of reconciliation (funding_accruals, settlement_claims, the accrual mark on
 * redemption_lines, funding_snapshots). Each step that creates a document takes the promotion's
 * row lock, so two instances reconciling one promotion number their documents in turn and a
 * sales line is accrued exactly once. A line's vendor share is its discount × share / 100
 * rounded to the cent, half away from zero, as Promotion.performance sums it.
 */
export class ReconciliationLedger {
  constructor(private readonly db: SqlDatabase) {}

  /**
   * Moves every line not yet accrued into a new accrual (null when there is none). An accrual
   * of zero (returns netting out, or a 0 % share) is complete at once: nothing to post.
   */
  accrueOpenLines(input: {
    promotionId: string;
    agreementId: string;
    sharePercent: string;
    currency: string;
    now: Date;
    actor: string;
  }): Promise<AccrualRow | null> {
    return this.db.transaction(async (tx) => {
      await lockPromotion(tx, input.promotionId);
      const open = await tx.query(
        `SELECT 1 FROM redemption_lines WHERE promotion_id = $1 AND accrual_id IS NULL LIMIT 1`,
        [input.promotionId],
      );
      if (open.rows.length === 0) return null;
      const seq = await nextSeq(tx, 'funding_accruals', input.promotionId);
      const id = `${input.promotionId}-A${seq}`;
      const now = input.now.toISOString();
      await tx.query(
        `INSERT INTO funding_accruals (id, promotion_id, seq, agreement_id, amount, currency,
           line_count, posting_date, created_at, created_by)
         VALUES ($1, $2, $3, $4, 0, $5, 0, ($6::timestamptz AT TIME ZONE 'UTC')::date, $6, $7)`,
        [id, input.promotionId, seq, input.agreementId, input.currency, now, input.actor],
      );
      const { rows } = await tx.query<{ amount: string; lines: string | number }>(
        `WITH moved AS (
           UPDATE redemption_lines SET accrual_id = $1
            WHERE promotion_id = $2 AND accrual_id IS NULL RETURNING discount)
         SELECT coalesce(sum(round(discount * $3::numeric / 100, 2)), 0)::text AS amount,
                count(*) AS lines FROM moved`,
        [id, input.promotionId, input.sharePercent],
      );
      const amount = rows[0]!.amount;
      const zero = Number(amount) === 0;
      const stored = await tx.query<AccrualDbRow>(
        `UPDATE funding_accruals SET amount = $2::numeric, line_count = $3,
                posted_at = CASE WHEN $4 THEN created_at END
          WHERE id = $1 RETURNING ${ACCRUAL_COLUMNS}`,
        [id, amount, toInt(rows[0]!.lines), zero],
      );
      return accrualOf(stored.rows[0]!);
    });
  }

  /**
   * Opens a claim over the posted accruals no claim settles yet (null when there are none, or
   * when an earlier claim is still being posted or an accrual still waits for the ERP).
   */
  openClaim(input: {
    promotionId: string;
    agreementId: string;
    currency: string;
    now: Date;
    actor: string;
  }): Promise<ClaimRow | null> {
    return this.db.transaction(async (tx) => {
      await lockPromotion(tx, input.promotionId);
      const waiting = await tx.query(
        `SELECT 1 FROM funding_accruals WHERE promotion_id = $1 AND posted_at IS NULL
         UNION ALL
         SELECT 1 FROM settlement_claims WHERE promotion_id = $1 AND posted_at IS NULL`,
        [input.promotionId],
      );
      if (waiting.rows.length > 0) return null;
      const open = await tx.query<{ amount: string; documents: string | number }>(
        `SELECT coalesce(sum(amount), 0)::text AS amount, count(erp_document) AS documents
           FROM funding_accruals WHERE promotion_id = $1 AND claim_id IS NULL`,
        [input.promotionId],
      );
      if (toInt(open.rows[0]!.documents) === 0) return null;
      const seq = await nextSeq(tx, 'settlement_claims', input.promotionId);
      const id = `${input.promotionId}-C${seq}`;
      const now = input.now.toISOString();
      await tx.query(
        `INSERT INTO settlement_claims (id, promotion_id, seq, agreement_id, kind, amount,
           currency, settlement_date, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, ($8::timestamptz AT TIME ZONE 'UTC')::date,
           $8, $9)`,
        [
          id,
          input.promotionId,
          seq,
          input.agreementId,
          seq === 1 ? 'FINAL' : 'DELTA',
          open.rows[0]!.amount,
          input.currency,
          now,
          input.actor,
        ],
      );
      await tx.query(
        `UPDATE funding_accruals SET claim_id = $1 WHERE promotion_id = $2 AND claim_id IS NULL`,
        [id, input.promotionId],
      );
      return (await claimsOf(tx, input.promotionId)).find((c) => c.id === id)!;
    });
  }

  async markAccrualPosted(id: string, document: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE funding_accruals SET erp_document = $2, posted_at = $3 WHERE id = $1`,
      [id, document, at.toISOString()],
    );
  }

  async markClaimPosted(id: string, document: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE settlement_claims SET erp_document = $2, posted_at = $3 WHERE id = $1`,
      [id, document, at.toISOString()],
    );
  }

  async accruals(promotionId: string): Promise<AccrualRow[]> {
    const { rows } = await this.db.query<AccrualDbRow>(
      `SELECT ${ACCRUAL_COLUMNS} FROM funding_accruals WHERE promotion_id = $1 ORDER BY seq`,
      [promotionId],
    );
    return rows.map(accrualOf);
  }

  claims(promotionId: string): Promise<ClaimRow[]> {
    return claimsOf(this.db, promotionId);
  }

  /** The vendor share of every recorded line of the promotion, and of those not yet accrued. */
  async lineTotals(promotionId: string, sharePercent: string): Promise<LineTotals> {
    const { rows } = await this.db.query<{
      lines: string | number;
      vendor: string;
      open_lines: string | number;
      open_vendor: string;
    }>(
      `SELECT count(*) AS lines,
              coalesce(sum(round(discount * $2::numeric / 100, 2)), 0)::text AS vendor,
              count(*) FILTER (WHERE accrual_id IS NULL) AS open_lines,
              coalesce(sum(round(discount * $2::numeric / 100, 2))
                       FILTER (WHERE accrual_id IS NULL), 0)::text AS open_vendor
         FROM redemption_lines WHERE promotion_id = $1`,
      [promotionId, sharePercent],
    );
    const r = rows[0]!;
    return {
      lines: toInt(r.lines),
      vendorFunded: r.vendor,
      unaccruedLines: toInt(r.open_lines),
      unaccruedVendorFunded: r.open_vendor,
    };
  }

  async saveSnapshot(snapshot: FundingSnapshot): Promise<void> {
    await this.db.query(
      `INSERT INTO funding_snapshots (promotion_id, agreement_id, currency, cap,
         agreement_accrued, erp_accrued, erp_claimed, ties_out, checked_at)
       VALUES ($1, $2, $3, $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8, $9)
       ON CONFLICT (promotion_id) DO UPDATE SET agreement_id = EXCLUDED.agreement_id,
         currency = EXCLUDED.currency, cap = EXCLUDED.cap,
         agreement_accrued = EXCLUDED.agreement_accrued, erp_accrued = EXCLUDED.erp_accrued,
         erp_claimed = EXCLUDED.erp_claimed, ties_out = EXCLUDED.ties_out,
         checked_at = EXCLUDED.checked_at`,
      [
        snapshot.promotionId,
        snapshot.agreementId,
        snapshot.currency,
        snapshot.cap,
        snapshot.agreementAccrued,
        snapshot.erpAccrued,
        snapshot.erpClaimed,
        snapshot.tiesOut,
        snapshot.checkedAt,
      ],
    );
  }

  async snapshot(promotionId: string): Promise<FundingSnapshot | null> {
    const { rows } = await this.db.query<{
      agreement_id: string;
      currency: string;
      cap: string | null;
      agreement_accrued: string;
      erp_accrued: string;
      erp_claimed: string;
      ties_out: boolean;
      checked_at: string | Date;
    }>(
      `SELECT agreement_id, currency, cap::text, agreement_accrued::text, erp_accrued::text,
              erp_claimed::text, ties_out, checked_at
         FROM funding_snapshots WHERE promotion_id = $1`,
      [promotionId],
    );
    const r = rows[0];
    return r
      ? {
          promotionId,
          agreementId: r.agreement_id,
          currency: r.currency,
          cap: r.cap,
          agreementAccrued: r.agreement_accrued,
          erpAccrued: r.erp_accrued,
          erpClaimed: r.erp_claimed,
          tiesOut: r.ties_out,
          checkedAt: toIso(r.checked_at)!,
        }
      : null;
  }
}

async function lockPromotion(tx: SqlExecutor, promotionId: string): Promise<void> {
  await tx.query(`SELECT 1 FROM promotions WHERE id = $1 FOR UPDATE`, [promotionId]);
}

async function nextSeq(
  tx: SqlExecutor,
  table: 'funding_accruals' | 'settlement_claims',
  promotionId: string,
): Promise<number> {
  const { rows } = await tx.query<{ seq: string | number }>(
    `SELECT coalesce(max(seq), 0) + 1 AS seq FROM ${table} WHERE promotion_id = $1`,
    [promotionId],
  );
  return toInt(rows[0]!.seq);
}

async function claimsOf(db: SqlExecutor, promotionId: string): Promise<ClaimRow[]> {
  const { rows } = await db.query<ClaimDbRow>(
    `SELECT ${CLAIM_COLUMNS} FROM settlement_claims c WHERE c.promotion_id = $1 ORDER BY c.seq`,
    [promotionId],
  );
  return rows.map((r) => ({
    id: r.id,
    seq: toInt(r.seq),
    agreementId: r.agreement_id,
    kind: r.kind,
    amount: r.amount,
    currency: r.currency,
    settlementDate: r.settlement_date,
    createdAt: toIso(r.created_at)!,
    postedAt: toIso(r.posted_at),
    erpDocument: r.erp_document,
    accrualDocuments: r.documents ?? [],
  }));
}

function accrualOf(r: AccrualDbRow): AccrualRow {
  return {
    id: r.id,
    seq: toInt(r.seq),
    agreementId: r.agreement_id,
    amount: r.amount,
    currency: r.currency,
    lineCount: toInt(r.line_count),
    postingDate: r.posting_date,
    createdAt: toIso(r.created_at)!,
    postedAt: toIso(r.posted_at),
    erpDocument: r.erp_document,
    claimId: r.claim_id,
  };
}
