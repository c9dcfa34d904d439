import { ReadinessArea } from '../../shared/canonical/enums.ts';
import type { PromotionRecord, StockHoldData } from '../model/promotion.model.ts';
import type { ReadinessCheckData } from './readiness-gate.ts';

const inventoryOf = (checks: readonly ReadinessCheckData[]) =>
  checks.find((c) => c.area === ReadinessArea.INVENTORY);

/**
 * The holds an approver accepts (approvePromotion `acceptStockHolds`): every location inventory
 * decided HOLD, each with its shortfalls as the reason, when inventory failed only for such
 * locations and says they may be accepted (some go ahead, none unknown; stock-readiness.yaml).
 * null: nothing to accept (inventory passed) or holds that may not be accepted.
 */
export function acceptedHolds(
  checks: readonly ReadinessCheckData[],
  at: string,
): StockHoldData[] | null {
  const inventory = inventoryOf(checks);
  if (!inventory || inventory.passed || !inventory.stock?.holdsAcceptable) return null;
  return inventory.stock.locations
    .filter((l) => l.decision === 'HOLD')
    .map((l) => {
      const shortfalls = inventory.findings
        .filter((f) => f.locationId === l.locationId && f.sku !== null)
        .map((f) => f.message);
      return {
        locationId: l.locationId,
        since: at,
        reason: shortfalls.length
          ? shortfalls.join('; ')
          : `stock at ${l.locationId} is below the stock readiness policy`,
        releasedAt: null,
        releaseReason: null,
      };
    });
}

/** Why `acceptStockHolds` could not be honoured, appended to the blocked approval's message. */
export function holdsRefusal(checks: readonly ReadinessCheckData[]): string {
  const inventory = inventoryOf(checks);
  if (!inventory || inventory.passed) return '; there are no stock holds to accept';
  return '; the stock holds cannot be accepted (a location is unknown, or too few locations would go ahead: policies/stock-readiness.yaml minGoPercent)';
}

/** The locations where the promotion is held for stock now. */
export function activeHolds(record: Pick<PromotionRecord, 'stockHolds'>): StockHoldData[] {
  return record.stockHolds.filter((h) => h.releasedAt === null);
}

/** Whether the promotion is held for stock at `locationId` now. */
export function isHeldAt(record: Pick<PromotionRecord, 'stockHolds'>, locationId: string): boolean {
  return record.stockHolds.some((h) => h.locationId === locationId && h.releasedAt === null);
}
