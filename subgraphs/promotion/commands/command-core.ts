import type { ScopeExpansion } from '../eligibility/scope-expansion.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { planTransition, stateByClock } from './promotion-state-machine.ts';
import { ActorKind, PromotionEventKind, PromotionState } from '../model/promotion-enums.ts';
import type {
  ActorData,
  ChannelPublicationRecord,
  EventDraft,
  PromotionRecord,
} from '../model/promotion.model.ts';
import {
  IdempotencyKeyTakenError,
  VersionConflictError,
  type IdempotencyRecord,
  type PromotionRepository,
} from '../storage/promotion.repository.ts';
import type { ProductMaster } from './promotion-validation.ts';
import type { ReadinessFindingData, ReadinessGate } from '../readiness/readiness-gate.ts';
import type { FundingAgreementDirectory } from '../readiness/subgraph-funding.adapter.ts';
import { fingerprint, KeyedMutex } from './keyed-mutex.ts';
import {
  DEFAULT_ACTIVATION_POLICY,
  type ActivationPolicy,
} from '../../../policies/delivery-policy.ts';
import { stagesActivation } from '../activation/activation-plan.ts';
import { assertVisible, tenantScope } from '../model/tenancy.ts';

export type DeliveryQueue = {
  enqueue(
    promotionId: string,
    channel: ChannelPublicationRecord['channel'],
    deliveryId: string,
  ): void;
};

export type CommandDeps = {
  repository: PromotionRepository;
  dispatcher: DeliveryQueue;
  productMaster: ProductMaster;
  /** The SKUs a scope covers (categories, brands and nodes expanded): what approval checks. */
  expandScope: ScopeExpansion;
  /**
   * Other published promotions meeting one about to be approved on a SKU of its scope
   * (readiness/stacking-conflicts.ts): findings added to its PRICING check.
   */
  stackingConflicts: (
    candidate: PromotionRecord,
    scopeSkus: readonly string[],
  ) => Promise<ReadinessFindingData[]>;
  /** Pricing, inventory and funding checks run at approval (readiness-gate.ts). */
  readinessGate: ReadinessGate;
  /**
   * Who owns a funding agreement: a partner may attach only its own vendor's. Default: none, so
   * a partner naming an agreement is refused with BACKEND_UNAVAILABLE (fail closed).
   */
  fundingAgreements?: FundingAgreementDirectory;
  clock: () => Date;
  /** policies/delivery.yaml `activation` (ALL_OR_NONE going live). Default: the file's defaults. */
  activation?: ActivationPolicy;
};

export type MutationResult = {
  promotion: PromotionRecord;
  eventCursor: string;
  idempotentReplay: boolean;
};

export const SCHEDULER_ACTOR: ActorData = {
  subject: 'scheduler',
  kind: ActorKind.SCHEDULER,
  vendorId: null,
};

export type SaveOptions = {
  actor: ActorData;
  /** Audit action (the mutation name). */
  action: string;
  reason?: string | null;
  publications?: ChannelPublicationRecord[];
  idempotency?: { scope: string; key: string; fingerprint: string };
  /** Emit STATE_CHANGED / VERSION_CREATED (false: only the channel events). Default true. */
  mainEvent?: boolean;
};

type Idempotency = SaveOptions['idempotency'];

/**
 * The unit of work every command uses: load (catching up clock transitions), check the
 * expected version, commit record + audit + events in one repository call, then queue the
 * channel deliveries. Commands on one promotion run one at a time in this process.
 */
export class CommandCore {
  private readonly mutex = new KeyedMutex();

  constructor(readonly deps: CommandDeps) {}

  now(): Date {
    return this.deps.clock();
  }

  /** Runs `work` alone for this promotion (in this process). */
  locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(`promotion:${id}`, work);
  }

  /**
   * The promotion, with any due clock transition applied first; NOT_FOUND when missing or when
   * `actor` is a partner of another vendor (tenancy.ts).
   */
  async load(id: string, actor: ActorData): Promise<PromotionRecord> {
    const record = await this.deps.repository.get(id);
    if (!record) throw notFound('Promotion', id);
    return this.advanceClock(assertVisible(actor, record), this.now());
  }

  /**
   * Whether a channel of `record` going live now is sent a held delivery first
   * (activation/activation-plan.ts).
   */
  stagesActivation(record: PromotionRecord): boolean {
    const { leadMs } = this.deps.activation ?? DEFAULT_ACTIVATION_POLICY;
    return stagesActivation(record, this.now(), leadMs);
  }

  checkVersion(record: PromotionRecord, expected: number | null | undefined): void {
    if (expected == null || expected === record.version) return;
    throw conflict(`Promotion ${record.id} is at version ${record.version}, not ${expected}`, {
      currentVersion: record.version,
    });
  }

  /**
   * SCHEDULED → ACTIVE at startsAt, and SCHEDULED/ACTIVE/SUSPENDED → ENDED at endsAt.
   * Idempotent; the state is derived from the stored window, so it does not bump the version.
   */
  async advanceClock(record: PromotionRecord, now: Date): Promise<PromotionRecord> {
    const published = [PromotionState.SCHEDULED, PromotionState.ACTIVE, PromotionState.SUSPENDED];
    if (!published.includes(record.state)) return record;
    const byClock = stateByClock(record.window, now);
    const action =
      byClock === PromotionState.ENDED
        ? 'clockEnd'
        : byClock === PromotionState.ACTIVE && record.state === PromotionState.SCHEDULED
          ? 'clockStart'
          : null;
    if (!action) return record;
    const to = planTransition(action, record.state, { now, window: record.window });
    const reason = action === 'clockEnd' ? 'window ended' : 'window started';
    const next = { ...record, state: to, updatedAt: now.toISOString() };
    const result = await this.save(record, next, {
      actor: SCHEDULER_ACTOR,
      action: 'scheduler',
      reason,
    });
    return result.promotion;
  }

  async save(
    prev: PromotionRecord | null,
    next: PromotionRecord,
    options: SaveOptions,
  ): Promise<MutationResult> {
    const at = next.updatedAt;
    const publications = options.publications ?? [];
    const events: EventDraft[] = [];
    const base = { occurredAt: at, actor: options.actor, reason: options.reason ?? null };
    if (options.mainEvent !== false) {
      const stateChanged = !prev || prev.state !== next.state;
      events.push({
        ...base,
        kind: stateChanged ? PromotionEventKind.STATE_CHANGED : PromotionEventKind.VERSION_CREATED,
        fromState: stateChanged ? (prev?.state ?? null) : next.state,
        toState: next.state,
        channel: null,
        channelIntent: null,
        channelStatus: null,
      });
    }
    for (const p of publications) {
      events.push({
        ...base,
        kind: PromotionEventKind.CHANNEL_STATUS_CHANGED,
        fromState: null,
        toState: null,
        channel: p.channel,
        channelIntent: p.intent,
        channelStatus: p.status,
      });
    }
    const channel =
      options.mainEvent === false && publications.length === 1 ? publications[0]!.channel : null;
    try {
      const { record, events: committed } = await this.deps.repository.commit({
        record: next,
        expected: prev && { version: prev.version, state: prev.state },
        publications,
        audit: [
          {
            at,
            actor: options.actor,
            action: options.action,
            fromState: prev?.state ?? null,
            toState: next.state,
            reason: options.reason ?? null,
            version: next.version,
            channel,
          },
        ],
        events,
        ...(options.idempotency ? { idempotency: options.idempotency } : {}),
      });
      for (const p of publications)
        this.deps.dispatcher.enqueue(record.id, p.channel, p.deliveryId);
      return { promotion: record, eventCursor: committed[0]!.cursor, idempotentReplay: false };
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw conflict(
          `Promotion ${next.id} was changed concurrently; current version is ${error.currentVersion}`,
          {
            currentVersion: error.currentVersion,
          },
        );
      }
      throw error;
    }
  }

  /**
   * Same key and same input: the first result again (`idempotentReplay: true`); same key,
   * other input: CONFLICT. Concurrent calls with one key run one after the other.
   */
  idempotent(
    mutation: string,
    actor: ActorData,
    key: string | null | undefined,
    input: unknown,
    run: (idempotency: Idempotency) => Promise<MutationResult>,
  ): Promise<MutationResult> {
    if (!key) return run(undefined);
    const scope = tenantScope(mutation, actor);
    const print = fingerprint(input);
    return this.mutex.run(`idempotency:${scope}:${key}`, async () => {
      const existing = await this.deps.repository.getIdempotency(scope, key);
      if (existing) return this.replay(existing, print);
      try {
        return await run({ scope, key, fingerprint: print });
      } catch (error) {
        if (error instanceof IdempotencyKeyTakenError) return this.replay(error.record, print);
        throw error;
      }
    });
  }

  private async replay(record: IdempotencyRecord, print: string): Promise<MutationResult> {
    if (record.fingerprint !== print) {
      throw conflict(`Idempotency key ${record.key} was already used with a different input`, {
        idempotencyKey: record.key,
      });
    }
    const promotion = await this.deps.repository.getVersion(record.promotionId, record.version);
    if (!promotion) throw notFound('Promotion', record.promotionId);
    return { promotion, eventCursor: record.eventCursor, idempotentReplay: true };
  }
}

/** A copy of `current` with `patch`, the next version and `updatedAt`. */
export function nextVersion(
  current: PromotionRecord,
  now: Date,
  patch: Partial<PromotionRecord>,
): PromotionRecord {
  return { ...current, ...patch, version: current.version + 1, updatedAt: now.toISOString() };
}
