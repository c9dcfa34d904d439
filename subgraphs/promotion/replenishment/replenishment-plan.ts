import { ReadinessArea } from '../../shared/canonical/enums.ts';
import type { ReplenishmentData, StockHoldData } from '../model/promotion.model.ts';
import type { ReadinessCheckData } from '../readiness/readiness-gate.ts';

/**
 * The requests for stock that accepted holds call for: one per SKU short at a held location (the
 * INVENTORY check's STOCK_SHORTFALL findings, at most 50 of them as it lists them), for the
 * shortfall rounded up to whole units, needed by the promotion's first day (or today once it has
 * begun). References carry the approving version, so a later approval never reuses one.
 */
export function plannedReplenishments(input: {
  promotionId: string;
  version: number;
  checks: readonly ReadinessCheckData[];
  holds: readonly StockHoldData[];
  startsAt: string;
  now: Date;
}): ReplenishmentData[] {
  const inventory = input.checks.find((c) => c.area === ReadinessArea.INVENTORY);
  if (!inventory) return [];
  const held = new Set(input.holds.map((h) => h.locationId));
  const at = input.now.toISOString();
  const neededBy = (Date.parse(input.startsAt) > input.now.getTime() ? input.startsAt : at).slice(
    0,
    10,
  );
  return inventory.findings
    .filter((f) => f.code === 'STOCK_SHORTFALL' && f.sku && f.locationId && held.has(f.locationId))
    .sort((a, b) =>
      a.locationId === b.locationId
        ? a.sku!.localeCompare(b.sku!)
        : a.locationId!.localeCompare(b.locationId!),
    )
    .flatMap((f, i) => {
      const shortBy = Number(f.evidence.find((e) => e.name === 'shortBy')?.value);
      if (!Number.isFinite(shortBy) || shortBy <= 0) return [];
      return [
        {
          reference: `${input.promotionId}-${input.version}-R${i + 1}`,
          sku: f.sku!,
          locationId: f.locationId!,
          quantity: String(Math.ceil(shortBy)),
          neededBy,
          status: 'PENDING' as const,
          requisitionId: null,
          receivedQuantity: '0',
          refusal: null,
          createdAt: at,
          updatedAt: at,
        },
      ];
    });
}
