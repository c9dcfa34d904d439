import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { PeriodicSweep } from '../../shared/periodic-sweep.ts';
import type { ScopeExpansion } from '../eligibility/scope-expansion.ts';
import { ActorKind } from '../model/promotion-enums.ts';
import type { ActorData } from '../model/promotion.model.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import type { SqlExecutor } from '../storage/sql-database.ts';
import type { ReadinessGate } from './readiness-gate.ts';
import { activeHolds } from './stock-holds.ts';

const MONITOR: ActorData = {
  subject: 'stock-hold-monitor',
  kind: ActorKind.SYSTEM,
  vendorId: null,
};

export type StockHoldMonitorOptions = {
  db: SqlExecutor;
  repository: Pick<PromotionRepository, 'get'>;
  expandScope: ScopeExpansion;
  /** Inventory's decision per location (the readiness gate's `stockDecisions`). */
  stockDecisions: NonNullable<ReadinessGate['stockDecisions']>;
  release(id: string, locationIds: string[], reason: string, actor: ActorData): Promise<unknown>;
  /** Period of the sweep once started; 0 disables the timer (call `runOnce`). */
  intervalMs: number;
  onError?: (error: unknown) => void;
};

/**
 * Releases locations held for stock once stock has arrived: each sweep asks inventory (through
 * its API, as the approval did) for the decision per location of every approved promotion with
 * an active hold, and releases the held locations it now decides GO. A promotion inventory
 * cannot decide for stays held (fail closed) and is asked again on the next sweep.
 */
export class StockHoldMonitor {
  private readonly sweep: PeriodicSweep;

  constructor(private readonly options: StockHoldMonitorOptions) {
    this.sweep = new PeriodicSweep(
      () => this.runOnce(),
      options.onError ?? ((err) => processLogger().error({ err }, 'stock hold sweep failed')),
    );
  }

  /** One sweep; returns the locations released per promotion. */
  async runOnce(): Promise<{ promotionId: string; released: string[] }[]> {
    const { rows } = await this.options.db.query<{ id: string }>(
      `SELECT id FROM promotions
        WHERE state IN ('APPROVED', 'SCHEDULED', 'ACTIVE', 'SUSPENDED')
          AND jsonb_typeof(record->'stockHolds') = 'array'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(record->'stockHolds') h
                       WHERE h->>'releasedAt' IS NULL)
        ORDER BY id`,
    );
    const out: { promotionId: string; released: string[] }[] = [];
    for (const { id } of rows) {
      try {
        const record = await this.options.repository.get(id);
        if (!record) continue;
        const held = new Set(activeHolds(record).map((h) => h.locationId));
        const decisions = await this.options.stockDecisions(
          record,
          await this.options.expandScope(record.scope),
        );
        const go = decisions
          .filter((d) => d.decision === 'GO' && held.has(d.locationId))
          .map((d) => d.locationId);
        if (go.length === 0) continue;
        await this.options.release(
          id,
          go,
          'stock arrived: the stock readiness policy is met',
          MONITOR,
        );
        out.push({ promotionId: id, released: go });
      } catch (error) {
        (
          this.options.onError ??
          ((err) => processLogger().warn({ err }, 'stock hold check failed'))
        )(error);
      }
    }
    return out;
  }

  start(): void {
    this.sweep.start(this.options.intervalMs);
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }
}
