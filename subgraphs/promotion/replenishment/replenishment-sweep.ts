import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import type { PromotionRecord, ReplenishmentData } from '../model/promotion.model.ts';
import {
  ReplenishmentRefused,
  type ReplenishmentPort,
  type ReplenishmentState,
} from './replenishment-port.ts';

const FOLLOWED = new Set<ReplenishmentData['status']>(['REQUESTED', 'ORDERED']);

/** Replenishments still moving: to send, or sent and not yet received or cancelled. */
export function openReplenishments(record: Pick<PromotionRecord, 'replenishments'>) {
  return record.replenishments.filter((r) => r.status === 'PENDING' || FOLLOWED.has(r.status));
}

function withState(r: ReplenishmentData, s: ReplenishmentState, at: string): ReplenishmentData {
  return {
    ...r,
    status: s.status,
    requisitionId: s.requisitionId,
    receivedQuantity: s.receivedQuantity,
    updatedAt: at,
  };
}

/**
 * One step for a promotion's replenishments against the supply side: each PENDING one is
 * requested (idempotent under its reference: a retry after a lost answer finds the first
 * requisition), the requested and ordered ones are read back in one batch. Answers the entries
 * that changed; a refusal makes one REFUSED with the reason, no answer leaves it as it was (the
 * next sweep tries again).
 */
export async function advanceReplenishments(
  record: PromotionRecord,
  port: ReplenishmentPort,
  now: Date,
): Promise<ReplenishmentData[]> {
  const at = now.toISOString();
  const changed: ReplenishmentData[] = [];
  for (const r of record.replenishments.filter((x) => x.status === 'PENDING')) {
    try {
      const state = await port.request({
        reference: r.reference,
        sku: r.sku,
        locationId: r.locationId,
        quantity: r.quantity,
        neededBy: r.neededBy,
        note: `Promotion ${record.id} ${r.locationId}`,
      });
      changed.push(withState(r, state, at));
    } catch (error) {
      if (error instanceof ReplenishmentRefused) {
        changed.push({ ...r, status: 'REFUSED', refusal: error.message, updatedAt: at });
      } else {
        processLogger().warn({ err: error }, `replenishment ${r.reference} not sent yet`);
      }
    }
  }
  const followed = record.replenishments.filter((r) => FOLLOWED.has(r.status));
  if (followed.length > 0) {
    try {
      const states = new Map(
        (await port.states(followed.map((r) => r.reference))).map((s) => [s.reference, s]),
      );
      for (const r of followed) {
        const s = states.get(r.reference);
        if (s && (s.status !== r.status || s.receivedQuantity !== r.receivedQuantity)) {
          changed.push(withState(r, s, at));
        }
      }
    } catch (error) {
      processLogger().warn({ err: error }, `replenishments of ${record.id} not read`);
    }
  }
  return changed;
}

/** What the audit trail says about the changes. */
export function describeReplenishments(changed: readonly ReplenishmentData[]): string {
  return changed
    .map(
      (r) =>
        `replenishment ${r.reference} (${r.sku} at ${r.locationId}, ${r.quantity}) ${r.status}` +
        (r.requisitionId ? ` as requisition ${r.requisitionId}` : '') +
        (r.refusal ? `: ${r.refusal}` : ''),
    )
    .join('; ');
}
