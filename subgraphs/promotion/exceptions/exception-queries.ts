import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { SqlDatabase } from '../storage/sql-database.ts';
import type { PromotionExceptionKind } from './exception-kinds.ts';
import { exceptionFromRow, type PromotionExceptionRecord } from './exception-store.ts';

export type ExceptionFilter = {
  /** true: open only (default); false: resolved only; null: both. */
  open?: boolean | null;
  kinds?: readonly PromotionExceptionKind[] | null;
  promotionId?: string | null;
  channels?: readonly SalesChannel[] | null;
  /** A partner's own vendor (tenancy.ts vendorFor). */
  vendorId?: string | null;
};

/** Reads of the stored exceptions (the `promotionExceptions` query, event resolution). */
export class ExceptionQueries {
  constructor(private readonly db: SqlDatabase) {}

  /** In raise order (oldest first), after `afterSeq`. */
  async list(
    filter: ExceptionFilter,
    first: number,
    afterSeq?: number,
  ): Promise<{ items: PromotionExceptionRecord[]; hasNextPage: boolean }> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (afterSeq !== undefined) where.push(`seq > ${param(afterSeq)}`);
    const open = filter.open === undefined ? true : filter.open;
    if (open === true) where.push('resolved_at IS NULL');
    if (open === false) where.push('resolved_at IS NOT NULL');
    if (filter.kinds?.length) where.push(`kind = ANY(${param(filter.kinds)}::text[])`);
    if (filter.promotionId) where.push(`promotion_id = ${param(filter.promotionId)}`);
    if (filter.channels?.length) where.push(`channel = ANY(${param(filter.channels)}::text[])`);
    if (filter.vendorId) where.push(`vendor_id = ${param(filter.vendorId)}`);
    const { rows } = await this.db.query(
      `SELECT * FROM promotion_exceptions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq LIMIT ${Math.max(0, Math.floor(first)) + 1}`,
      params,
    );
    const items = rows.map(exceptionFromRow);
    return { items: items.slice(0, first), hasNextPage: items.length > first };
  }

  async get(id: string): Promise<PromotionExceptionRecord | undefined> {
    const { rows } = await this.db.query('SELECT * FROM promotion_exceptions WHERE id = $1', [id]);
    return rows[0] && exceptionFromRow(rows[0]);
  }
}
