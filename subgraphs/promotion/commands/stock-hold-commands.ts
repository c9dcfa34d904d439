import { resendAll } from '../delivery/channel-payload.ts';
import { PromotionState } from '../model/promotion-enums.ts';
import type { ActorData, ReplenishmentData } from '../model/promotion.model.ts';
import { describeReplenishments } from '../replenishment/replenishment-sweep.ts';
import { activeHolds } from '../readiness/stock-holds.ts';
import { badUserInput } from '../../shared/errors.ts';
import { requireText } from './promotion-validation.ts';
import { nextVersion, type CommandCore, type MutationResult } from './command-core.ts';

/** States in which a hold matters: approved and not over. */
const HOLDING_STATES = new Set<string>([
  PromotionState.APPROVED,
  PromotionState.SCHEDULED,
  PromotionState.ACTIVE,
  PromotionState.SUSPENDED,
]);

/** Releasing locations held for stock (readiness/stock-holds.ts). */
export function createStockHoldCommands(core: CommandCore) {
  return {
    /**
     * Releases the active holds at `locationIds` (stock arrived, or an operator decided): a new
     * version whose channels are sent again without them (`heldLocationIds`), audited with the
     * reason, a VERSION_CREATED event. BAD_USER_INPUT for a location not held now.
     */
    releaseStockHolds(
      id: string,
      locationIds: readonly string[],
      reason: string,
      actor: ActorData,
    ): Promise<MutationResult> {
      requireText('reason', reason);
      return core.locked(id, async () => {
        const current = await core.load(id, actor);
        const held = new Set(activeHolds(current).map((h) => h.locationId));
        const wanted = [...new Set(locationIds)];
        const notHeld = wanted.filter((l) => !held.has(l));
        if (wanted.length === 0 || notHeld.length > 0 || !HOLDING_STATES.has(current.state)) {
          throw badUserInput(
            `Promotion ${id} has no stock hold to release at ${notHeld.join(', ') || wanted.join(', ') || 'no location'}`,
            [{ field: 'locationIds', message: `held now: ${[...held].join(', ') || 'none'}` }],
          );
        }
        const now = core.now();
        const at = now.toISOString();
        const next = nextVersion(current, now, {
          stockHolds: current.stockHolds.map((h) =>
            h.releasedAt === null && wanted.includes(h.locationId)
              ? { ...h, releasedAt: at, releaseReason: reason }
              : h,
          ),
        });
        return core.save(current, next, {
          actor,
          action: 'releaseStockHold',
          reason: `released at ${wanted.join(', ')}: ${reason}`,
          publications: resendAll(current, next),
        });
      });
    },

    /**
     * Records what the supply side answered for replenishments (replenishment-sweep.ts): each
     * entry replaces the one with its reference. A new version without channel deliveries (the
     * payload does not change), audited, a VERSION_CREATED event. Nothing when none matches.
     */
    recordReplenishments(
      id: string,
      changed: readonly ReplenishmentData[],
      actor: ActorData,
    ): Promise<MutationResult | null> {
      return core.locked(id, async () => {
        const current = await core.load(id, actor);
        const byRef = new Map(changed.map((r) => [r.reference, r]));
        if (!current.replenishments.some((r) => byRef.has(r.reference))) return null;
        const next = nextVersion(current, core.now(), {
          replenishments: current.replenishments.map((r) => byRef.get(r.reference) ?? r),
        });
        return core.save(current, next, {
          actor,
          action: 'replenishment',
          reason: describeReplenishments(changed),
        });
      });
    },
  };
}
