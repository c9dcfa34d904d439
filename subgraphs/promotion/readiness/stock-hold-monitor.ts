import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { PeriodicSweep } from '../../shared/periodic-sweep.ts';
import type { ScopeExpansion } from '../eligibility/scope-expansion.ts';
import { ActorKind } from '../model/promotion-enums.ts';
import type { ActorData, ReplenishmentData } from '../model/promotion.model.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import type { SqlExecutor } from '../storage/sql-database.ts';
import type { ReadinessGate } from './readiness-gate.ts';
import { activeHolds } from './stock-holds.ts';
import type { ReplenishmentPort } from '../replenishment/replenishment-port.ts';
import { advanceReplenishments, openReplenishments } from '../replenishment/replenishment-sweep.ts';

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
  /** Where replenishments are requested and followed (the ERP's purchase requisitions). */
  replenishment: ReplenishmentPort;
  recordReplenishments(
    id: string,
    changed: readonly ReplenishmentData[],
    actor: ActorData,
  ): Promise<unknown>;
  clock: () => Date;
  /** Period of the sweep once started; 0 disables the timer (call `runOnce`). */
  intervalMs: number;
  onError?: (error: unknown) => void;
};

/**
 * Follows locations held for stock until stock has arrived. Each sweep, for every approved
 * promotion with an active hold or a replenishment still moving: sends the planned
 * replenishments to the ERP and records what the ERP says of the sent ones
 * (replenishment-sweep.ts); then asks inventory (through its API, as the approval did) for the
 * decision per location and releases the held locations it now decides GO. A promotion inventory
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
          AND ((jsonb_typeof(record->'stockHolds') = 'array'
                AND EXISTS (SELECT 1 FROM jsonb_array_elements(record->'stockHolds') h
                             WHERE h->>'releasedAt' IS NULL))
            OR (jsonb_typeof(record->'replenishments') = 'array'
                AND EXISTS (SELECT 1 FROM jsonb_array_elements(record->'replenishments') r
                             WHERE r->>'status' IN ('PENDING', 'REQUESTED', 'ORDERED'))))
        ORDER BY id`,
    );
    const out: { promotionId: string; released: string[] }[] = [];
    for (const { id } of rows) {
      try {
        let record = await this.options.repository.get(id);
        if (!record) continue;
        if (openReplenishments(record).length > 0) {
          const changed = await advanceReplenishments(
            record,
            this.options.replenishment,
            this.options.clock(),
          );
          if (changed.length > 0) {
            await this.options.recordReplenishments(id, changed, MONITOR);
            record = (await this.options.repository.get(id)) ?? record;
          }
        }
        if (activeHolds(record).length === 0) continue;
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

  /** A sweep soon (e.g. holds were just accepted: their requests go out now); none when disabled. */
  wake(): void {
    if (this.options.intervalMs > 0) this.sweep.wake();
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }
}
