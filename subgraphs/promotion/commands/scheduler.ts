import type { CommandCore } from './command-core.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

export type PromotionSchedulerOptions = {
  core: CommandCore;
  repository: PromotionRepository;
  /** How often `advanceByClock` runs once started. Default 1000 ms; 0 disables the timer. */
  intervalMs?: number;
};

/**
 * Moves SCHEDULED → ACTIVE at startsAt and ACTIVE/SUSPENDED → ENDED at endsAt (actor
 * SCHEDULER). Idempotent: a promotion already in its clock state is left alone. Reads never
 * depend on it (they compute from the window), so a late run shows no stale ACTIVE.
 */
export class PromotionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: PromotionSchedulerOptions) {}

  /** Applies every transition due at `now`; returns how many promotions changed. */
  async advanceByClock(now: Date = this.options.core.now()): Promise<number> {
    const { core, repository } = this.options;
    let changed = 0;
    for (const due of await repository.listDueForClock(now)) {
      const moved = await core.locked(due.id, async () => {
        const current = await repository.get(due.id);
        if (!current) return false;
        return (await core.advanceClock(current, now)) !== current;
      });
      if (moved) changed++;
    }
    return changed;
  }

  start(): void {
    const intervalMs = this.options.intervalMs ?? 1000;
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.advanceByClock()
        .catch((error: unknown) => {
          processLogger().error({ err: error }, 'promotion scheduler run failed');
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
