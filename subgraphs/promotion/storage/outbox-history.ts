import type { EventHistory } from '../events/event-history.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { formatCursor } from './promotion.repository.ts';
import { toInt, type SqlDatabase } from './sql-database.ts';

/**
 * The outbox as the event history: it keeps every committed event (rows are marked published,
 * never deleted), so a subscription whose cursor the bus no longer retains is served from here.
 * Reads use the outbox's primary key. Concurrent `latestCursor()` calls share one query (a
 * gateway reconnecting thousands of subscriptions at once asks once).
 */
export class OutboxHistory implements EventHistory {
  private latest: Promise<string | null> | undefined;

  constructor(private readonly db: SqlDatabase) {}

  async read(after: string, limit: number, before?: string): Promise<PromotionBusEvent[]> {
    const { rows } = await this.db.query<{ event: PromotionBusEvent }>(
      before === undefined
        ? 'SELECT event FROM outbox WHERE cursor > $1 ORDER BY cursor LIMIT $2'
        : 'SELECT event FROM outbox WHERE cursor > $1 AND cursor < $3 ORDER BY cursor LIMIT $2',
      before === undefined ? [after, limit] : [after, limit, before],
    );
    return rows.map((row) => row.event);
  }

  latestCursor(): Promise<string | null> {
    this.latest ??= this.db
      .query<{ last_cursor: unknown }>('SELECT last_cursor FROM outbox_cursor')
      .then(({ rows }) => {
        const last = rows[0] ? toInt(rows[0].last_cursor) : 0;
        return last > 0 ? formatCursor(last) : null;
      })
      .finally(() => {
        this.latest = undefined;
      });
    return this.latest;
  }
}
