import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { toIso, type SqlExecutor } from '../storage/sql-database.ts';
import { ExceptionSeverity, PromotionExceptionKind as Kind } from './exception-kinds.ts';

/** One condition that holds now: an exception is open for it (exception-store.ts). */
export type ExceptionCondition = {
  kind: Kind;
  promotionId: string;
  channel: SalesChannel | null;
  vendorId: string | null;
  severity: ExceptionSeverity;
  /** When the condition began; null: unknown, the raise time is used. */
  since: string | null;
  detail: string;
};

/** The identity of an open exception: one per kind, promotion and channel. */
export const conditionKey = (c: {
  kind: string;
  promotionId: string;
  channel: string | null;
}): string => `${c.kind}|${c.promotionId}|${c.channel ?? ''}`;

export type ConditionOptions = {
  now: Date;
  /** Per channel: a delivery not acknowledged this long after it was created is overdue. */
  deliverySloMs: (channel: SalesChannel) => number;
  /** Cap consumption (percent) from which a funding agreement is near its cap. */
  nearCapPercent: number;
};

type Row = {
  kind: Kind;
  promotion_id: string;
  channel: SalesChannel | null;
  vendor_id: string | null;
  starts_at: string | Date;
  since: string | Date | null;
  detail: string | null;
};

/**
 * Every exception condition in the stored state (one query): dead-lettered deliveries, held
 * activations, approvals blocked by readiness, and unacknowledged deliveries (overdue once the
 * channel's SLO has passed since their version was committed, by the domain clock).
 */
export async function readConditions(
  db: SqlExecutor,
  options: ConditionOptions,
): Promise<ExceptionCondition[]> {
  const { rows } = await db.query<Row>(
    `SELECT 'DEAD_LETTER' AS kind, c.promotion_id, c.channel, p.vendor_id, p.starts_at,
            NULL::timestamptz AS since, c.last_error AS detail
       FROM channel_publications c JOIN promotions p ON p.id = c.promotion_id
      WHERE c.status = 'DEAD_LETTERED'
     UNION ALL
     SELECT 'ACTIVATION_HELD', p.id, NULL, p.vendor_id, p.starts_at,
            (p.record->'activationHold'->>'since')::timestamptz, p.record->'activationHold'->>'reason'
       FROM promotions p WHERE jsonb_typeof(p.record->'activationHold') = 'object'
     UNION ALL
     SELECT 'FAILED_READINESS', p.id, NULL, p.vendor_id, p.starts_at,
            (p.record->'approvalReadiness'->>'checkedAt')::timestamptz,
            (SELECT string_agg(ch->>'area' || ': ' || coalesce(ch->>'summary', 'failed'), '; ')
               FROM jsonb_array_elements(p.record->'approvalReadiness'->'checks') AS ch
              WHERE (ch->>'passed')::boolean IS NOT TRUE)
       FROM promotions p
      WHERE p.state = 'PENDING_APPROVAL' AND p.record->'approvalReadiness'->>'passed' = 'false'
     UNION ALL
     SELECT 'OVERDUE_DELIVERY', c.promotion_id, c.channel, p.vendor_id, p.starts_at,
            (v.record->>'updatedAt')::timestamptz,
            c.status || coalesce(': ' || c.last_error, '')
       FROM channel_publications c JOIN promotions p ON p.id = c.promotion_id
       JOIN promotion_versions v ON v.promotion_id = c.promotion_id AND v.version = c.target_version
      WHERE c.status IN ('PENDING', 'SENT', 'FAILED')
     UNION ALL
     SELECT CASE WHEN f.accrued > f.cap THEN 'FUNDING_CAP_EXCEEDED' ELSE 'FUNDING_CAP_NEAR' END,
            f.promotion_id, NULL, p.vendor_id, p.starts_at, NULL,
            'agreement ' || f.agreement_id || ': ' || f.accrued || ' of ' || f.cap || ' ' ||
            f.currency || ' accrued (' || round(f.accrued * 100 / f.cap, 1) || ' %)'
       FROM (SELECT promotion_id, agreement_id, currency, cap, agreement_accrued AS accrued
               FROM funding_snapshots WHERE cap > 0) f
       JOIN promotions p ON p.id = f.promotion_id
      WHERE f.accrued * 100 >= f.cap * $1
     UNION ALL
     SELECT 'STOCK_HELD', p.id, NULL, p.vendor_id, p.starts_at,
            min((h->>'since')::timestamptz),
            'held for stock at ' || string_agg(h->>'locationId', ', ' ORDER BY h->>'locationId')
       FROM promotions p, jsonb_array_elements(p.record->'stockHolds') h
      WHERE p.state IN ('APPROVED', 'SCHEDULED', 'ACTIVE', 'SUSPENDED')
        AND jsonb_typeof(p.record->'stockHolds') = 'array' AND h->>'releasedAt' IS NULL
      GROUP BY p.id, p.vendor_id, p.starts_at
     UNION ALL
     SELECT 'RECONCILIATION_MISMATCH', f.promotion_id, NULL, p.vendor_id, p.starts_at,
            f.checked_at, 'reconciliation of ' || f.checked_at || ' did not tie out with the ERP'
       FROM funding_snapshots f JOIN promotions p ON p.id = f.promotion_id
      WHERE NOT f.ties_out`,
    [options.nearCapPercent],
  );
  const now = options.now.getTime();
  const out: ExceptionCondition[] = [];
  for (const row of rows) {
    const since = toIso(row.since);
    let severity = ExceptionSeverity.WARNING;
    if (row.kind === Kind.OVERDUE_DELIVERY) {
      const due = Date.parse(since!) + options.deliverySloMs(row.channel!);
      if (due > now) continue;
    }
    if (row.kind === Kind.DEAD_LETTER || row.kind === Kind.FUNDING_CAP_EXCEEDED) {
      severity = ExceptionSeverity.CRITICAL;
    }
    if (row.kind === Kind.ACTIVATION_HELD && Date.parse(toIso(row.starts_at)!) <= now) {
      severity = ExceptionSeverity.CRITICAL;
    }
    out.push({
      kind: row.kind,
      promotionId: row.promotion_id,
      channel: row.channel,
      vendorId: row.vendor_id,
      severity,
      since:
        row.kind === Kind.OVERDUE_DELIVERY
          ? new Date(Date.parse(since!) + options.deliverySloMs(row.channel!)).toISOString()
          : since,
      detail: row.detail ?? row.kind,
    });
  }
  return out;
}
