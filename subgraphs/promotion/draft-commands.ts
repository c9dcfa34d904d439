import { randomBytes } from 'node:crypto';
import type { InputProblem } from '../shared/errors.ts';
import { resendAll, withdrawAll } from './channel-payload.ts';
import { nextVersion, type CommandCore, type MutationResult } from './command-core.ts';
import {
  applyUpdateInput,
  contentFromCreateInput,
  contentOf,
  CRITICAL_FIELDS,
  isMaterialChange,
} from './promotion-draft.ts';
import { PromotionState } from './promotion-enums.ts';
import type {
  ApprovalOverrideInput,
  CreatePromotionDraftInput,
  UpdatePromotionDraftInput,
} from './promotion-input.type.ts';
import type { ActorData, PromotionRecord } from './promotion.model.ts';
import { INITIAL_STATE, planTransition } from './promotion-state-machine.ts';
import { invalidInput, validateDraft } from './promotion-validation.ts';

export const newPromotionId = (): string => `prm_${randomBytes(10).toString('hex')}`;

function requireText(field: string, value: string): void {
  if (!value.trim()) throw invalidInput([{ field, message: 'must not be empty' }]);
}

/** Draft and approval commands: create, update, submit, withdraw, approve, reject. */
export function createDraftCommands(core: CommandCore, newId: () => string = newPromotionId) {
  const { productMaster } = core.deps;

  /** A transition that changes only the state (and version). */
  function simple(
    action: 'submit' | 'withdraw' | 'approve' | 'reject',
    mutation: string,
    id: string,
    expectedVersion: number,
    actor: ActorData,
    reason: string | null,
    check?: (record: PromotionRecord, now: Date) => InputProblem[],
  ): Promise<MutationResult> {
    return core.locked(id, async () => {
      const current = await core.load(id);
      core.checkVersion(current, expectedVersion);
      const now = core.now();
      const to = planTransition(action, current.state, { now, window: current.window });
      const problems = check?.(current, now) ?? [];
      if (problems.length) throw invalidInput(problems);
      return core.save(current, nextVersion(current, now, { state: to }), {
        actor,
        action: mutation,
        reason,
      });
    });
  }

  return {
    create(input: CreatePromotionDraftInput, actor: ActorData): Promise<MutationResult> {
      const content = contentFromCreateInput(input);
      return core.idempotent(
        'createPromotionDraft',
        input.idempotencyKey,
        content,
        async (idempotency) => {
          await validateDraft(content, productMaster, {
            now: core.now(),
            checkEndsAtNotPast: true,
          });
          const at = core.now().toISOString();
          const record: PromotionRecord = {
            ...content,
            id: newId(),
            seq: 0,
            version: 1,
            state: INITIAL_STATE,
            channels: [],
            approvalReadiness: null,
            externalRefs: [],
            createdAt: at,
            updatedAt: at,
          };
          return core.save(null, record, {
            actor,
            action: 'createPromotionDraft',
            ...(idempotency ? { idempotency } : {}),
          });
        },
      );
    },

    update(
      id: string,
      expectedVersion: number,
      input: UpdatePromotionDraftInput,
      actor: ActorData,
    ): Promise<MutationResult> {
      return core.locked(id, async () => {
        const current = await core.load(id);
        core.checkVersion(current, expectedVersion);
        const now = core.now();
        const { content, changed } = applyUpdateInput(contentOf(current), input);
        if (changed.size === 0)
          throw invalidInput([{ field: 'input', message: 'changes nothing' }]);
        const material = isMaterialChange(changed);
        const to = planTransition(material ? 'updateMaterial' : 'update', current.state, {
          now,
          window: current.window,
        });
        await validateDraft(content, productMaster, {
          now,
          checkEndsAtNotPast: changed.has('window'),
          references: {
            skus: changed.has('scope') || changed.has('offer'),
            locations: changed.has('eligibility'),
          },
        });
        const next = nextVersion(current, now, { ...content, state: to });
        const publications =
          to === PromotionState.DRAFT ? withdrawAll(current, next) : resendAll(current, next);
        const fields = [...changed];
        const critical = fields.filter((f) => CRITICAL_FIELDS.has(f));
        const reason = material
          ? `material change: ${critical.join(', ')}`
          : `change: ${fields.join(', ')}`;
        return core.save(current, next, {
          actor,
          action: 'updatePromotionDraft',
          reason,
          publications,
        });
      });
    },

    submit: (id: string, expectedVersion: number, actor: ActorData) =>
      simple('submit', 'submitPromotion', id, expectedVersion, actor, null, (record, now) => {
        const problems: InputProblem[] = [];
        if (record.vendorId && !record.fundingAgreementId) {
          problems.push({
            field: 'fundingAgreementId',
            message: 'is required when a vendor is set',
          });
        }
        if (Date.parse(record.window.endsAt) <= now.getTime()) {
          problems.push({ field: 'window.endsAt', message: 'must not be in the past' });
        }
        return problems;
      }),

    withdraw: (id: string, expectedVersion: number, actor: ActorData) =>
      simple('withdraw', 'withdrawPromotion', id, expectedVersion, actor, null),

    /** No readiness gate yet (a later issue adds it); an override reason is recorded. */
    approve: (
      id: string,
      expectedVersion: number,
      override: ApprovalOverrideInput | null | undefined,
      actor: ActorData,
    ) => {
      if (override) requireText('override.reason', override.reason);
      const reason = override ? `override: ${override.reason}` : null;
      return simple('approve', 'approvePromotion', id, expectedVersion, actor, reason);
    },

    reject: (id: string, expectedVersion: number, reason: string, actor: ActorData) => {
      requireText('reason', reason);
      return simple('reject', 'rejectPromotion', id, expectedVersion, actor, reason);
    },
  };
}

export type DraftCommands = ReturnType<typeof createDraftCommands>;
