import { invalidStateTransition } from '../../shared/errors.ts';
import { PromotionState as S } from '../model/promotion-enums.ts';

/**
 * The promotion lifecycle (DOMAIN 3.2): the one table every mutation, the scheduler and the
 * tests read. A row is (action, from, to); `to` may be a rule resolved from the clock or the
 * channels:
 * - BY_CLOCK: SCHEDULED before startsAt, ACTIVE inside the window, ENDED after endsAt;
 * - SUSPENDED_IF_NONE_LIVE: SUSPENDED once no channel is left with intent LIVE, else unchanged.
 */
export type PromotionAction =
  | 'create'
  | 'update'
  | 'updateMaterial'
  | 'submit'
  | 'withdraw'
  | 'approve'
  | 'reject'
  | 'publish'
  | 'suspend'
  | 'resume'
  | 'end'
  | 'scheduleEnd'
  | 'cancel'
  | 'retryDelivery'
  | 'clockStart'
  | 'clockEnd';

export type TransitionTarget = S | 'SAME' | 'BY_CLOCK' | 'SUSPENDED_IF_NONE_LIVE';

export type TransitionRow = {
  action: PromotionAction;
  from: S | null;
  to: TransitionTarget;
};

const ALL_STATES = Object.values(S);

const row = (action: PromotionAction, from: S | null, to: TransitionTarget): TransitionRow => ({
  action,
  from,
  to,
});

export const TRANSITIONS: readonly TransitionRow[] = [
  row('create', null, S.DRAFT),
  // Non-material edits (texts, stacking, limits, expected units) keep the state; any edit of a
  // rejected promotion starts a new draft.
  row('update', S.DRAFT, S.DRAFT),
  row('update', S.REJECTED, S.DRAFT),
  row('update', S.APPROVED, 'SAME'),
  row('update', S.SCHEDULED, 'SAME'),
  row('update', S.ACTIVE, 'SAME'),
  row('update', S.SUSPENDED, 'SAME'),
  // Material edits (see CRITICAL_FIELDS in promotion-draft.ts) need (re-)approval.
  row('updateMaterial', S.DRAFT, S.DRAFT),
  row('updateMaterial', S.REJECTED, S.DRAFT),
  row('updateMaterial', S.APPROVED, S.DRAFT),
  row('updateMaterial', S.SCHEDULED, S.DRAFT),
  row('submit', S.DRAFT, S.PENDING_APPROVAL),
  row('withdraw', S.PENDING_APPROVAL, S.DRAFT),
  row('approve', S.PENDING_APPROVAL, S.APPROVED),
  row('reject', S.PENDING_APPROVAL, S.REJECTED),
  row('publish', S.APPROVED, 'BY_CLOCK'),
  row('publish', S.SCHEDULED, 'BY_CLOCK'),
  row('publish', S.ACTIVE, 'BY_CLOCK'),
  row('suspend', S.SCHEDULED, 'SUSPENDED_IF_NONE_LIVE'),
  row('suspend', S.ACTIVE, 'SUSPENDED_IF_NONE_LIVE'),
  row('resume', S.SUSPENDED, 'BY_CLOCK'),
  row('resume', S.SCHEDULED, 'SAME'),
  row('resume', S.ACTIVE, 'SAME'),
  row('end', S.ACTIVE, S.ENDED),
  row('end', S.SUSPENDED, S.ENDED),
  row('scheduleEnd', S.ACTIVE, 'SAME'),
  row('scheduleEnd', S.SUSPENDED, 'SAME'),
  // Never cancelled once it has been live: accruals and funding already happened (end it instead).
  row('cancel', S.DRAFT, S.CANCELLED),
  row('cancel', S.PENDING_APPROVAL, S.CANCELLED),
  row('cancel', S.REJECTED, S.CANCELLED),
  row('cancel', S.APPROVED, S.CANCELLED),
  row('cancel', S.SCHEDULED, S.CANCELLED),
  // Re-queues a dead-lettered delivery (also withdrawals of ended/cancelled promotions).
  ...ALL_STATES.map((state) => row('retryDelivery', state, 'SAME')),
  row('clockStart', S.SCHEDULED, S.ACTIVE),
  row('clockEnd', S.SCHEDULED, S.ENDED),
  row('clockEnd', S.ACTIVE, S.ENDED),
  row('clockEnd', S.SUSPENDED, S.ENDED),
];

/** The mutation that performs an action (null: system-only, e.g. the scheduler). */
export const ACTION_MUTATION: Record<PromotionAction, string | null> = {
  create: 'createPromotionDraft',
  update: 'updatePromotionDraft',
  updateMaterial: 'updatePromotionDraft',
  submit: 'submitPromotion',
  withdraw: 'withdrawPromotion',
  approve: 'approvePromotion',
  reject: 'rejectPromotion',
  publish: 'publishToChannels',
  suspend: 'suspendPromotion',
  resume: 'resumePromotion',
  end: 'endPromotion',
  scheduleEnd: 'endPromotion',
  cancel: 'cancelPromotion',
  retryDelivery: 'retryChannelDelivery',
  clockStart: null,
  clockEnd: null,
};

const VERB: Record<PromotionAction, string> = {
  create: 'create',
  update: 'update',
  updateMaterial: 'make a material edit to',
  submit: 'submit',
  withdraw: 'withdraw',
  approve: 'approve',
  reject: 'reject',
  publish: 'publish',
  suspend: 'suspend',
  resume: 'resume',
  end: 'end',
  scheduleEnd: 'end',
  cancel: 'cancel',
  retryDelivery: 'retry channel delivery for',
  clockStart: 'start',
  clockEnd: 'end',
};

export type TransitionContext = {
  now: Date;
  window: { startsAt: string; endsAt: string };
  /** After the action's channel changes: is any channel still LIVE? */
  hasLiveChannel?: boolean;
};

/** The state a window implies at `now` for a published promotion. */
export function stateByClock(window: { startsAt: string; endsAt: string }, now: Date): S {
  const t = now.getTime();
  if (t < Date.parse(window.startsAt)) return S.SCHEDULED;
  if (t < Date.parse(window.endsAt)) return S.ACTIVE;
  return S.ENDED;
}

/** The mutations a user may call in `state`, in table order (for INVALID_STATE_TRANSITION). */
export function allowedTransitions(state: S): string[] {
  const names = TRANSITIONS.filter((r) => r.from === state)
    .map((r) => ACTION_MUTATION[r.action])
    .filter((name): name is string => name !== null);
  return [...new Set(names)];
}

export function canTransition(action: PromotionAction, from: S | null): boolean {
  return TRANSITIONS.some((r) => r.action === action && r.from === from);
}

/** Resolves the target state of `action` from `from`, or throws INVALID_STATE_TRANSITION. */
export function planTransition(action: PromotionAction, from: S, ctx: TransitionContext): S {
  const found = TRANSITIONS.find((r) => r.action === action && r.from === from);
  if (!found) throw invalidStateTransition(VERB[action], from, allowedTransitions(from));
  switch (found.to) {
    case 'SAME':
      return from;
    case 'BY_CLOCK':
      return stateByClock(ctx.window, ctx.now);
    case 'SUSPENDED_IF_NONE_LIVE':
      return ctx.hasLiveChannel ? from : S.SUSPENDED;
    default:
      return found.to;
  }
}

/** Throws INVALID_STATE_TRANSITION unless `action` is allowed from `from`. */
export function assertCan(action: PromotionAction, from: S): void {
  if (!canTransition(action, from)) {
    throw invalidStateTransition(VERB[action], from, allowedTransitions(from));
  }
}

/** The state `createPromotionDraft` starts in. */
export const INITIAL_STATE: S = S.DRAFT;
