import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { GraphQLError } from 'graphql';
import { newPublication } from '../delivery/channel-payload.ts';
import { nextVersion, type CommandCore } from '../commands/command-core.ts';
import { ActorKind, ChannelIntent } from '../model/promotion-enums.ts';
import type { ActorData, PromotionRecord } from '../model/promotion.model.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { PeriodicSweep } from '../../shared/periodic-sweep.ts';
import {
  planActivation,
  type ActivationPlanOptions,
  type ActivationStep,
} from './activation-plan.ts';

/** Who activation steps are attributed to in the audit trail and events. */
export const ACTIVATION_ACTOR: ActorData = {
  subject: 'activation-monitor',
  kind: ActorKind.SYSTEM,
  vendorId: null,
};

export type ActivationMonitorOptions = {
  /** policies/delivery.yaml `activation`. */
  policy: ActivationPlanOptions;
  core: CommandCore;
  repository: PromotionRepository;
  /** Period of the sweep once started; 0 disables the timer (call `runOnce`). Default 500 ms. */
  intervalMs?: number;
  /** Promotions looked at per sweep. Default 500. */
  batchSize?: number;
  /** A sweep that failed (the next one retries). Default: the process logger at `error`. */
  onError?: (error: unknown) => void;
};

/** What one committed step did, for tests and logs. */
export type ActivationOutcome = { promotionId: string; step: ActivationStep['kind'] };

/**
 * Keeps every ALL_OR_NONE promotion live in all its targeted channels or in none
 * (activation-plan.ts decides, this commits): releases held channels once every channel
 * acknowledged, holds every channel while one is failing, and records the hold on the
 * promotion. Each step is a new version through the command core (audit entry, events,
 * deliveries), under the promotion's lock; instances sharing a database race safely, the loser
 * of a version conflict retries on its next sweep. Runs on a timer and when a delivery status
 * changes (`wake`).
 */
export class ActivationMonitor {
  private readonly sweep: PeriodicSweep;

  constructor(private readonly options: ActivationMonitorOptions) {
    this.sweep = new PeriodicSweep(
      () => this.runOnce(),
      options.onError ??
        ((err) => processLogger().error({ err }, 'promotion activation sweep failed')),
    );
  }

  /** One sweep over the candidates at `now`; returns the steps committed. */
  async runOnce(now: Date = this.options.core.now()): Promise<ActivationOutcome[]> {
    const { core, repository } = this.options;
    const outcomes: ActivationOutcome[] = [];
    for (const id of await repository.listActivationCandidates(this.options.batchSize ?? 500)) {
      const step = await core.locked(id, () => this.step(id, now));
      if (step) outcomes.push({ promotionId: id, step });
    }
    return outcomes;
  }

  private async step(id: string, now: Date): Promise<ActivationStep['kind'] | undefined> {
    const { core } = this.options;
    const current = await core.load(id, ACTIVATION_ACTOR);
    const step = planActivation(current, now, this.options.policy);
    if (step.kind === 'none') return undefined;
    try {
      await this.commit(current, step, now);
      return step.kind;
    } catch (error) {
      // Another instance (or a user's command) changed it first: the next sweep looks again.
      if (error instanceof GraphQLError && error.extensions.code === 'CONFLICT') return undefined;
      throw error;
    }
  }

  private commit(current: PromotionRecord, step: ActivationStep, now: Date) {
    const { core } = this.options;
    const deliver = (next: PromotionRecord, channels: SalesChannel[], held: boolean) =>
      channels.map((channel) =>
        newPublication(
          next,
          channel,
          ChannelIntent.LIVE,
          current.channels.find((p) => p.channel === channel),
          held,
        ),
      );
    const save = (
      patch: Partial<PromotionRecord>,
      action: string,
      reason: string,
      publications: (next: PromotionRecord) => ReturnType<typeof deliver> = () => [],
    ) => {
      const next = nextVersion(current, now, patch);
      return core.save(current, next, {
        actor: ACTIVATION_ACTOR,
        action,
        reason,
        publications: publications(next),
      });
    };
    const targets = current.channels
      .filter((c) => c.intent === ChannelIntent.LIVE)
      .map((c) => c.channel);
    switch (step.kind) {
      case 'live':
        return save({ activationHold: null }, 'activationLive', `live in ${targets.join(', ')}`);
      case 'clear':
        return save({ activationHold: null }, 'activationHoldCleared', 'no longer held');
      case 'release':
        return save(
          {},
          'activationReleased',
          `every channel acknowledged; released ${step.channels.join(', ')}`,
          (next) => deliver(next, step.channels, false),
        );
      case 'hold':
        return save(
          {
            activationHold: {
              since: current.activationHold?.since ?? now.toISOString(),
              reason: step.reason,
              awaiting: step.awaiting,
            },
          },
          'activationHeld',
          step.channels.length ? `${step.reason}; held ${step.channels.join(', ')}` : step.reason,
          (next) => deliver(next, step.channels, true),
        );
      default:
        return undefined;
    }
  }

  /** Sweeps soon (a delivery status changed); coalesces calls while a sweep runs. */
  wake(): void {
    this.sweep.wake();
  }

  start(): void {
    this.sweep.start(this.options.intervalMs ?? 500);
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }
}
