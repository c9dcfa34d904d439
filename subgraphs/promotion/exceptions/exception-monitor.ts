import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import type { SqlDatabase } from '../storage/sql-database.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { PeriodicSweep } from '../../shared/periodic-sweep.ts';
import { PromotionExceptionKind } from './exception-kinds.ts';
import { reconcileExceptions, type ExceptionChange } from './exception-store.ts';

export type ExceptionMonitorOptions = {
  db: SqlDatabase;
  clock: () => Date;
  /** Per channel (policies/delivery.yaml `deliverySlo`). */
  deliverySloMs: (channel: SalesChannel) => number;
  /** Cap consumption (percent) from which a funding agreement is near its cap (config). */
  nearCapPercent: number;
  /** Period of the sweep once started; 0 disables the timer (call `runOnce`). Default 5000 ms. */
  intervalMs?: number;
  /** The events a sweep appended to the outbox (the relay's wake-up). */
  onEvents?: (events: PromotionBusEvent[]) => void;
  /**
   * One structured line per raised or resolved exception. Default: the process logger (pino,
   * JSON): `warn` when raised, `info` when resolved.
   */
  log?: (line: Record<string, unknown>) => void;
  /** A sweep that failed (the next one retries). Default: the process logger at `error`. */
  onError?: (error: unknown) => void;
};

/**
 * Raises and resolves promotion exceptions (exception-store.ts) on a timer, logs a line for
 * each and keeps the open count per kind (for metrics). Instances sharing a database take
 * turns (an advisory lock), so each change is raised and logged once.
 */
export class ExceptionMonitor {
  private readonly sweep: PeriodicSweep;
  private readonly open = new Map<PromotionExceptionKind, number>();

  constructor(private readonly options: ExceptionMonitorOptions) {
    this.sweep = new PeriodicSweep(
      () => this.runOnce(),
      options.onError ??
        ((err) => processLogger().error({ err }, 'promotion exception sweep failed')),
    );
  }

  /** One sweep at `now`; returns what it raised and resolved. */
  async runOnce(now: Date = this.options.clock()): Promise<ExceptionChange[]> {
    const { db, deliverySloMs, nearCapPercent } = this.options;
    const { changes, events } = await reconcileExceptions(db, {
      now,
      deliverySloMs,
      nearCapPercent,
    });
    if (events.length) this.options.onEvents?.(events);
    const log =
      this.options.log ??
      (({ level, msg, ...fields }) => {
        const logger = processLogger();
        if (level === 'warn') logger.warn(fields, msg as string);
        else logger.info(fields, msg as string);
      });
    for (const { change, exception } of changes) {
      log({
        level: change === 'RAISED' ? 'warn' : 'info',
        msg: `promotion exception ${change.toLowerCase()}`,
        exceptionId: exception.id,
        kind: exception.kind,
        severity: exception.severity,
        promotionId: exception.promotionId,
        channel: exception.channel,
        since: exception.since,
        detail: exception.detail,
        ...(change === 'RESOLVED'
          ? { resolvedBy: exception.resolvedBy, resolution: exception.resolution }
          : {}),
      });
    }
    const { rows } = await db.query<{ kind: PromotionExceptionKind; n: number | string }>(
      `SELECT kind, count(*) AS n FROM promotion_exceptions WHERE resolved_at IS NULL GROUP BY kind`,
    );
    this.open.clear();
    for (const kind of Object.values(PromotionExceptionKind)) this.open.set(kind, 0);
    for (const row of rows) this.open.set(row.kind, Number(row.n));
    return changes;
  }

  /** Open exceptions per kind as of the last sweep (for metrics). */
  openCounts(): ReadonlyMap<PromotionExceptionKind, number> {
    return this.open;
  }

  start(): void {
    this.sweep.start(this.options.intervalMs ?? 5000);
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }
}
