import { withPricingFindings } from '../readiness/stacking-conflicts.ts';
import { randomBytes } from 'node:crypto';
import { resendAll, withdrawAll } from '../delivery/channel-payload.ts';
import { nextVersion, type CommandCore, type MutationResult } from './command-core.ts';
import {
  applyUpdateInput,
  contentFromCreateInput,
  contentOf,
  CRITICAL_FIELDS,
  isMaterialChange,
} from './promotion-draft.ts';
import { PromotionState } from '../model/promotion-enums.ts';
import type {
  ApprovalOverrideInput,
  CreatePromotionDraftInput,
  UpdatePromotionDraftInput,
} from '../graph/promotion-input.type.ts';
import type { ActorData, PromotionRecord } from '../model/promotion.model.ts';
import { INITIAL_STATE, planTransition } from './promotion-state-machine.ts';
import { invalidInput, requireText, validateDraft } from './promotion-validation.ts';
import { isConfined, vendorFor } from '../model/tenancy.ts';
import { failedSummary, readinessReport } from '../readiness/readiness-gate.ts';
import { acceptedHolds, holdsRefusal } from '../readiness/stock-holds.ts';
import { plannedReplenishments } from '../replenishment/replenishment-plan.ts';
import { hasTermScope } from '../model/scope-terms.ts';
import {
  backendUnavailable,
  badUserInput,
  forbidden,
  type InputProblem,
} from '../../shared/errors.ts';
import type { FundingAgreementDirectory } from '../readiness/subgraph-funding.adapter.ts';

/** Scope a caller needs to approve a promotion whose readiness checks failed. */
export const OVERRIDE_SCOPE = 'promotion:approve:override';

/** Without a directory nobody can tell who owns an agreement: refuse (fail closed). */
const NO_FUNDING_DIRECTORY: FundingAgreementDirectory = {
  vendorOf: () => Promise.reject(backendUnavailable('funding', 'no funding directory configured')),
};

export const newPromotionId = (): string => `prm_${randomBytes(10).toString('hex')}`;

/** Draft and approval commands: create, update, submit, withdraw, approve, reject. */
export function createDraftCommands(core: CommandCore, newId: () => string = newPromotionId) {
  const { productMaster } = core.deps;
  const fundingAgreements = core.deps.fundingAgreements ?? NO_FUNDING_DIRECTORY;

  /** Partners only: the agreement they name must be their vendor's (promotion-validation.ts). */
  const fundingCheckFor = (actor: ActorData, named: boolean) =>
    named && isConfined(actor)
      ? { fundingAgreement: { directory: fundingAgreements, vendorId: actor.vendorId } }
      : {};

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
      const current = await core.load(id, actor);
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
      content.vendorId = vendorFor(actor, content.vendorId);
      return core.idempotent(
        'createPromotionDraft',
        actor,
        input.idempotencyKey,
        content,
        async (idempotency) => {
          await validateDraft(content, productMaster, {
            now: core.now(),
            checkEndsAtNotPast: true,
            ...fundingCheckFor(actor, true),
          });
          const at = core.now().toISOString();
          const record: PromotionRecord = {
            ...content,
            id: newId(),
            seq: 0,
            version: 1,
            state: INITIAL_STATE,
            channels: [],
            activationHold: null,
            stockHolds: [],
            replenishments: [],
            coveredSkus: null,
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
        const current = await core.load(id, actor);
        core.checkVersion(current, expectedVersion);
        if (
          input.vendorId !== undefined &&
          isConfined(actor) &&
          input.vendorId !== actor.vendorId
        ) {
          vendorFor(actor, input.vendorId ?? 'none');
        }
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
          ...fundingCheckFor(actor, changed.has('fundingAgreementId')),
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

    /**
     * The readiness gate (readiness-gate.ts): pricing, inventory and funding are asked through
     * their subgraphs and the report is stored on the promotion as `approvalReadiness`. All
     * passed: APPROVED. A check failed: approval is blocked (the report and an `approvalBlocked`
     * audit entry are still committed, as a new version) and BAD_USER_INPUT names the failed
     * areas; an `override` with a reason approves anyway, only for a caller holding the
     * `promotion:approve:override` scope (FORBIDDEN otherwise), audited with the reason.
     * An area that could not decide (its subgraph or ERP unavailable) is not a failed check: the
     * gate rejects with BACKEND_UNAVAILABLE before anything is written (no new version, no
     * report, no audit entry, no event), with or without an override; a retry decides afresh.
     */
    approve(
      id: string,
      expectedVersion: number,
      override: ApprovalOverrideInput | null | undefined,
      actor: ActorData,
      mayOverride: boolean,
      acceptStockHolds = false,
    ): Promise<MutationResult> {
      if (override) requireText('override.reason', override.reason);
      if (override && !mayOverride) {
        throw forbidden(`overriding the readiness gate needs the scope ${OVERRIDE_SCOPE}`);
      }
      return core.locked(id, async () => {
        const current = await core.load(id, actor);
        core.checkVersion(current, expectedVersion);
        const to = planTransition('approve', current.state, {
          now: core.now(),
          window: current.window,
        });
        const scopeSkus = await core.deps.expandScope(current.scope);
        const [areas, conflicts] = await Promise.all([
          core.deps.readinessGate.check(current, scopeSkus),
          core.deps.stackingConflicts(current, scopeSkus),
        ]);
        const checks = withPricingFindings(areas, conflicts);
        const now = core.now();
        const holds = acceptStockHolds ? acceptedHolds(checks, now.toISOString()) : null;
        const report = readinessReport(checks, now.toISOString(), override ?? null, holds !== null);
        if (!report.passed && !report.overridden) {
          const failed =
            failedSummary(checks) +
            (acceptStockHolds && holds === null ? holdsRefusal(checks) : '');
          const blocked = await core.save(
            current,
            nextVersion(current, now, { approvalReadiness: report }),
            { actor, action: 'approvalBlocked', reason: `readiness failed: ${failed}` },
          );
          throw badUserInput(
            `approval blocked by readiness checks: ${failed}`,
            [
              ...checks
                .filter((c) => !c.passed)
                .map((c) => ({ field: `readiness.${c.area}`, message: c.summary })),
            ],
            { currentVersion: blocked.promotion.version, readiness: report },
          );
        }
        const reasons = [
          ...(report.overridden ? [`override: ${override!.reason}`] : []),
          ...(holds?.length
            ? [`stock holds accepted at ${holds.map((h) => h.locationId).join(', ')}`]
            : []),
        ];
        return core.save(
          current,
          nextVersion(current, now, {
            state: to,
            approvalReadiness: report,
            stockHolds: holds ?? [],
            coveredSkus: hasTermScope(current.scope) ? [...scopeSkus] : null,
            replenishments: holds?.length
              ? plannedReplenishments({
                  promotionId: current.id,
                  version: current.version + 1,
                  checks,
                  holds,
                  startsAt: current.window.startsAt,
                  now,
                })
              : current.replenishments,
          }),
          { actor, action: 'approvePromotion', reason: reasons.join('; ') || null },
        );
      });
    },

    reject: (id: string, expectedVersion: number, reason: string, actor: ActorData) => {
      requireText('reason', reason);
      return simple('reject', 'rejectPromotion', id, expectedVersion, actor, reason);
    },
  };
}

export type DraftCommands = ReturnType<typeof createDraftCommands>;
