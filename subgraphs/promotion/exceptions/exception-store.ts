import { randomBytes } from 'node:crypto';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { ActorKind, PromotionEventKind } from '../model/promotion-enums.ts';
import type { ActorData, EventDraft, PromotionBusEvent } from '../model/promotion.model.ts';
import { PROMOTION_COLUMNS, promotionFromRow } from '../storage/promotion-rows.ts';
import { appendOutbox } from '../storage/promotion-writes.ts';
import {
  toInt,
  toIso,
  type SqlDatabase,
  type SqlExecutor,
  type SqlRow,
} from '../storage/sql-database.ts';
import { conditionKey, readConditions, type ConditionOptions } from './exception-conditions.ts';
import type { ExceptionSeverity, PromotionExceptionKind } from './exception-kinds.ts';

/** A stored exception, open or resolved. */
export type PromotionExceptionRecord = {
  seq: number;
  id: string;
  kind: PromotionExceptionKind;
  promotionId: string;
  channel: SalesChannel | null;
  vendorId: string | null;
  severity: ExceptionSeverity;
  since: string;
  detail: string;
  raisedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** The promotion's last audit entry when it was raised: what came after resolved it. */
  auditSeq: number;
};

/** Who raises and resolves exceptions in events. */
export const EXCEPTION_ACTOR: ActorData = {
  subject: 'exception-monitor',
  kind: ActorKind.SYSTEM,
  vendorId: null,
};

export type ExceptionChange = {
  change: 'RAISED' | 'RESOLVED';
  exception: PromotionExceptionRecord;
};

export function exceptionFromRow(row: SqlRow): PromotionExceptionRecord {
  return {
    seq: toInt(row.seq),
    id: row.id as string,
    kind: row.kind as PromotionExceptionKind,
    promotionId: row.promotion_id as string,
    channel: row.channel as SalesChannel | null,
    vendorId: row.vendor_id as string | null,
    severity: row.severity as ExceptionSeverity,
    since: toIso(row.since as string | Date)!,
    detail: row.detail as string,
    raisedAt: toIso(row.raised_at as string | Date)!,
    resolvedAt: toIso(row.resolved_at as string | Date | null),
    resolvedBy: row.resolved_by as string | null,
    resolution: row.resolution as string | null,
    auditSeq: toInt(row.audit_seq),
  };
}

/** Only one sweep at a time across every instance sharing the database. */
const SWEEP_LOCK = 7_301_013;

/**
 * One sweep, in one transaction: raises an exception for every condition that holds and has
 * none open, resolves every open exception whose condition is gone (who resolved it and how:
 * the latest audit entry of the promotion since the exception was raised, a person's action
 * before the system's), updates severities, and appends an EXCEPTION_RAISED/RESOLVED event per
 * change to the outbox. Returns the changes and the events (for the bus relay's wake-up).
 */
export async function reconcileExceptions(
  db: SqlDatabase,
  options: ConditionOptions,
): Promise<{ changes: ExceptionChange[]; events: PromotionBusEvent[] }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SWEEP_LOCK]);
    const now = options.now.toISOString();
    const conditions = await readConditions(tx, options);
    const { rows } = await tx.query(
      'SELECT * FROM promotion_exceptions WHERE resolved_at IS NULL ORDER BY seq',
    );
    const open = new Map(rows.map(exceptionFromRow).map((e) => [conditionKey(e), e]));
    const holding = new Set(conditions.map(conditionKey));
    const changes: ExceptionChange[] = [];
    for (const condition of conditions) {
      const existing = open.get(conditionKey(condition));
      if (existing) {
        if (existing.severity !== condition.severity) {
          await tx.query('UPDATE promotion_exceptions SET severity = $2 WHERE seq = $1', [
            existing.seq,
            condition.severity,
          ]);
        }
        continue;
      }
      const inserted = await tx.query(
        `INSERT INTO promotion_exceptions
           (id, kind, promotion_id, channel, vendor_id, severity, since, detail, raised_at,
            audit_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
           (SELECT coalesce(max(seq), 0) FROM audit WHERE promotion_id = $3)) RETURNING *`,
        [
          `exc_${randomBytes(10).toString('hex')}`,
          condition.kind,
          condition.promotionId,
          condition.channel,
          condition.vendorId,
          condition.severity,
          condition.since ?? now,
          condition.detail,
          now,
        ],
      );
      changes.push({ change: 'RAISED', exception: exceptionFromRow(inserted.rows[0]!) });
    }
    for (const [key, exception] of open) {
      if (holding.has(key)) continue;
      const { by, how } = await resolutionOf(tx, exception);
      const updated = await tx.query(
        `UPDATE promotion_exceptions SET resolved_at = $2, resolved_by = $3, resolution = $4
          WHERE seq = $1 RETURNING *`,
        [exception.seq, now, by, how],
      );
      changes.push({ change: 'RESOLVED', exception: exceptionFromRow(updated.rows[0]!) });
    }
    const events = await appendEvents(tx, changes, now);
    return { changes, events };
  });
}

/** The latest audit entry after the exception was raised, preferring a person's. */
async function resolutionOf(
  tx: SqlExecutor,
  exception: PromotionExceptionRecord,
): Promise<{ by: string | null; how: string | null }> {
  const { rows } = await tx.query(
    `SELECT actor_subject, actor->>'kind' AS actor_kind, action, reason FROM audit
      WHERE promotion_id = $1 AND ($2::text IS NULL OR channel IS NULL OR channel = $2)
        AND seq > $3
      ORDER BY (actor->>'kind' IN ('USER', 'PARTNER')) DESC, seq DESC LIMIT 1`,
    [exception.promotionId, exception.channel, exception.auditSeq],
  );
  const entry = rows[0];
  if (!entry) return { by: null, how: null };
  const reason = entry.reason ? `: ${entry.reason as string}` : '';
  return { by: entry.actor_subject as string, how: `${entry.action as string}${reason}` };
}

async function appendEvents(
  tx: SqlExecutor,
  changes: readonly ExceptionChange[],
  at: string,
): Promise<PromotionBusEvent[]> {
  const events: PromotionBusEvent[] = [];
  const byPromotion = new Map<string, ExceptionChange[]>();
  for (const c of changes) {
    byPromotion.set(c.exception.promotionId, [
      ...(byPromotion.get(c.exception.promotionId) ?? []),
      c,
    ]);
  }
  for (const [promotionId, list] of byPromotion) {
    const { rows } = await tx.query(
      `SELECT ${PROMOTION_COLUMNS} FROM promotions p WHERE p.id = $1`,
      [promotionId],
    );
    const record = promotionFromRow(rows[0]!);
    const drafts: EventDraft[] = list.map(({ change, exception }) => ({
      kind:
        change === 'RAISED'
          ? PromotionEventKind.EXCEPTION_RAISED
          : PromotionEventKind.EXCEPTION_RESOLVED,
      occurredAt: at,
      fromState: null,
      toState: null,
      channel: exception.channel,
      channelIntent: null,
      channelStatus: null,
      actor: EXCEPTION_ACTOR,
      reason:
        change === 'RAISED'
          ? `${exception.kind}: ${exception.detail}`
          : `${exception.kind} resolved${exception.resolution ? ` by ${exception.resolvedBy}: ${exception.resolution}` : ''}`,
      exceptionId: exception.id,
    }));
    events.push(...(await appendOutbox(tx, record, drafts)));
  }
  return events;
}
