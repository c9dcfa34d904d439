import { Gauge, type Registry } from 'prom-client';
import type { ExceptionMonitor } from './exceptions/exception-monitor.ts';
import { toInt, type SqlExecutor } from './storage/sql-database.ts';

export type PromotionMetricsDeps = {
  /** The store: deliveries, outbox and promotions are counted at scrape time. */
  db: SqlExecutor;
  /** The exception sweep, whose open counts are reported as they stand. */
  exceptions: Pick<ExceptionMonitor, 'openCounts'>;
};

/**
 * The promotion subgraph's gauges, read from the stored state at each scrape:
 * `promotion_deliveries{channel,status}` (dead letters are status DEAD_LETTERED),
 * `promotion_open_exceptions{kind}`, `promotion_outbox_unpublished` (rows the relay has not put
 * on the bus) and `promotion_activation_holds` (promotions whose activation is held).
 */
export function promotionMetrics(deps: PromotionMetricsDeps): (registry: Registry) => void {
  const { db } = deps;
  return (registry) => {
    new Gauge({
      name: 'promotion_deliveries',
      help: 'Channel deliveries by channel and status',
      labelNames: ['channel', 'status'] as const,
      registers: [registry],
      async collect() {
        const { rows } = await db.query<{ channel: string; status: string; n: unknown }>(
          'SELECT channel, status, count(*) AS n FROM channel_publications GROUP BY channel, status',
        );
        this.reset();
        for (const row of rows)
          this.set({ channel: row.channel, status: row.status }, toInt(row.n));
      },
    });
    new Gauge({
      name: 'promotion_open_exceptions',
      help: 'Open promotion exceptions by kind (as of the last exception sweep)',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, n] of deps.exceptions.openCounts()) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'promotion_outbox_unpublished',
      help: 'Outbox events not yet published on the event bus',
      registers: [registry],
      async collect() {
        const { rows } = await db.query<{ n: unknown }>(
          'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
        );
        this.set(toInt(rows[0]?.n));
      },
    });
    new Gauge({
      name: 'promotion_activation_holds',
      help: 'Promotions whose activation is held',
      registers: [registry],
      async collect() {
        const { rows } = await db.query<{ n: unknown }>(
          "SELECT count(*) AS n FROM promotions WHERE jsonb_typeof(record->'activationHold') = 'object'",
        );
        this.set(toInt(rows[0]?.n));
      },
    });
  };
}
