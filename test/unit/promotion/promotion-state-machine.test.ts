import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { PromotionState as S } from '../../../subgraphs/promotion/model/promotion-enums.ts';
import {
  allowedTransitions,
  planTransition,
  stateByClock,
  TRANSITIONS,
  type PromotionAction,
} from '../../../subgraphs/promotion/commands/promotion-state-machine.ts';

const window = { startsAt: '2026-03-10T00:00:00Z', endsAt: '2026-03-20T00:00:00Z' };
const before = new Date('2026-03-05T00:00:00Z');
const during = new Date('2026-03-15T00:00:00Z');
const after = new Date('2026-03-25T00:00:00Z');

describe('promotion state machine', () => {
  test('the table is exactly the documented lifecycle', () => {
    const rows = TRANSITIONS.filter((r) => r.action !== 'retryDelivery').map(
      (r) => `${r.action}: ${r.from ?? '—'} -> ${r.to}`,
    );
    assert.deepEqual(rows, [
      'create: — -> DRAFT',
      'update: DRAFT -> DRAFT',
      'update: REJECTED -> DRAFT',
      'update: APPROVED -> SAME',
      'update: SCHEDULED -> SAME',
      'update: ACTIVE -> SAME',
      'update: SUSPENDED -> SAME',
      'updateMaterial: DRAFT -> DRAFT',
      'updateMaterial: REJECTED -> DRAFT',
      'updateMaterial: APPROVED -> DRAFT',
      'updateMaterial: SCHEDULED -> DRAFT',
      'submit: DRAFT -> PENDING_APPROVAL',
      'withdraw: PENDING_APPROVAL -> DRAFT',
      'approve: PENDING_APPROVAL -> APPROVED',
      'reject: PENDING_APPROVAL -> REJECTED',
      'publish: APPROVED -> BY_CLOCK',
      'publish: SCHEDULED -> BY_CLOCK',
      'publish: ACTIVE -> BY_CLOCK',
      'suspend: SCHEDULED -> SUSPENDED_IF_NONE_LIVE',
      'suspend: ACTIVE -> SUSPENDED_IF_NONE_LIVE',
      'resume: SUSPENDED -> BY_CLOCK',
      'resume: SCHEDULED -> SAME',
      'resume: ACTIVE -> SAME',
      'end: ACTIVE -> ENDED',
      'end: SUSPENDED -> ENDED',
      'scheduleEnd: ACTIVE -> SAME',
      'scheduleEnd: SUSPENDED -> SAME',
      'cancel: DRAFT -> CANCELLED',
      'cancel: PENDING_APPROVAL -> CANCELLED',
      'cancel: REJECTED -> CANCELLED',
      'cancel: APPROVED -> CANCELLED',
      'cancel: SCHEDULED -> CANCELLED',
      'clockStart: SCHEDULED -> ACTIVE',
      'clockEnd: SCHEDULED -> ENDED',
      'clockEnd: ACTIVE -> ENDED',
      'clockEnd: SUSPENDED -> ENDED',
    ]);
    assert.deepEqual(
      TRANSITIONS.filter((r) => r.action === 'retryDelivery').map((r) => r.from),
      Object.values(S),
    );
  });

  test('every legal transition resolves to its target', () => {
    const expected: [PromotionAction, S, Date, boolean, S][] = [
      ['update', S.DRAFT, during, true, S.DRAFT],
      ['update', S.REJECTED, during, true, S.DRAFT],
      ['update', S.APPROVED, during, true, S.APPROVED],
      ['update', S.SCHEDULED, before, true, S.SCHEDULED],
      ['update', S.ACTIVE, during, true, S.ACTIVE],
      ['update', S.SUSPENDED, during, true, S.SUSPENDED],
      ['updateMaterial', S.DRAFT, during, true, S.DRAFT],
      ['updateMaterial', S.REJECTED, during, true, S.DRAFT],
      ['updateMaterial', S.APPROVED, during, true, S.DRAFT],
      ['updateMaterial', S.SCHEDULED, before, true, S.DRAFT],
      ['submit', S.DRAFT, during, true, S.PENDING_APPROVAL],
      ['withdraw', S.PENDING_APPROVAL, during, true, S.DRAFT],
      ['approve', S.PENDING_APPROVAL, during, true, S.APPROVED],
      ['reject', S.PENDING_APPROVAL, during, true, S.REJECTED],
      ['publish', S.APPROVED, before, true, S.SCHEDULED],
      ['publish', S.APPROVED, during, true, S.ACTIVE],
      ['publish', S.APPROVED, after, true, S.ENDED],
      ['publish', S.SCHEDULED, before, true, S.SCHEDULED],
      ['publish', S.ACTIVE, during, true, S.ACTIVE],
      ['suspend', S.SCHEDULED, before, true, S.SCHEDULED],
      ['suspend', S.SCHEDULED, before, false, S.SUSPENDED],
      ['suspend', S.ACTIVE, during, true, S.ACTIVE],
      ['suspend', S.ACTIVE, during, false, S.SUSPENDED],
      ['resume', S.SUSPENDED, before, false, S.SCHEDULED],
      ['resume', S.SUSPENDED, during, false, S.ACTIVE],
      ['resume', S.SUSPENDED, after, false, S.ENDED],
      ['resume', S.SCHEDULED, before, true, S.SCHEDULED],
      ['resume', S.ACTIVE, during, true, S.ACTIVE],
      ['end', S.ACTIVE, during, true, S.ENDED],
      ['end', S.SUSPENDED, during, false, S.ENDED],
      ['scheduleEnd', S.ACTIVE, during, true, S.ACTIVE],
      ['scheduleEnd', S.SUSPENDED, during, false, S.SUSPENDED],
      ['cancel', S.DRAFT, during, true, S.CANCELLED],
      ['cancel', S.PENDING_APPROVAL, during, true, S.CANCELLED],
      ['cancel', S.REJECTED, during, true, S.CANCELLED],
      ['cancel', S.APPROVED, during, true, S.CANCELLED],
      ['cancel', S.SCHEDULED, before, true, S.CANCELLED],
      ['retryDelivery', S.ENDED, after, false, S.ENDED],
      ['clockStart', S.SCHEDULED, during, true, S.ACTIVE],
      ['clockEnd', S.SCHEDULED, after, true, S.ENDED],
      ['clockEnd', S.ACTIVE, after, true, S.ENDED],
      ['clockEnd', S.SUSPENDED, after, false, S.ENDED],
    ];
    for (const [action, from, now, hasLiveChannel, to] of expected) {
      assert.equal(
        planTransition(action, from, { now, window, hasLiveChannel }),
        to,
        `${action} from ${from}`,
      );
    }
  });

  test('an illegal transition is INVALID_STATE_TRANSITION with the allowed mutations', () => {
    const cases: [PromotionAction, S, string, string[]][] = [
      [
        'approve',
        S.DRAFT,
        'Cannot approve a promotion in state DRAFT; allowed from here: updatePromotionDraft, submitPromotion, cancelPromotion, retryChannelDelivery',
        ['updatePromotionDraft', 'submitPromotion', 'cancelPromotion', 'retryChannelDelivery'],
      ],
      [
        'publish',
        S.PENDING_APPROVAL,
        'Cannot publish a promotion in state PENDING_APPROVAL; allowed from here: withdrawPromotion, approvePromotion, rejectPromotion, cancelPromotion, retryChannelDelivery',
        [
          'withdrawPromotion',
          'approvePromotion',
          'rejectPromotion',
          'cancelPromotion',
          'retryChannelDelivery',
        ],
      ],
      [
        'cancel',
        S.ACTIVE,
        'Cannot cancel a promotion in state ACTIVE; allowed from here: updatePromotionDraft, publishToChannels, suspendPromotion, resumePromotion, endPromotion, retryChannelDelivery',
        [
          'updatePromotionDraft',
          'publishToChannels',
          'suspendPromotion',
          'resumePromotion',
          'endPromotion',
          'retryChannelDelivery',
        ],
      ],
      [
        'updateMaterial',
        S.ACTIVE,
        'Cannot make a material edit to a promotion in state ACTIVE; allowed from here: updatePromotionDraft, publishToChannels, suspendPromotion, resumePromotion, endPromotion, retryChannelDelivery',
        [
          'updatePromotionDraft',
          'publishToChannels',
          'suspendPromotion',
          'resumePromotion',
          'endPromotion',
          'retryChannelDelivery',
        ],
      ],
      [
        'resume',
        S.ENDED,
        'Cannot resume a promotion in state ENDED; allowed from here: retryChannelDelivery',
        ['retryChannelDelivery'],
      ],
      [
        'submit',
        S.CANCELLED,
        'Cannot submit a promotion in state CANCELLED; allowed from here: retryChannelDelivery',
        ['retryChannelDelivery'],
      ],
      [
        'clockStart',
        S.APPROVED,
        'Cannot start a promotion in state APPROVED; allowed from here: updatePromotionDraft, publishToChannels, cancelPromotion, retryChannelDelivery',
        ['updatePromotionDraft', 'publishToChannels', 'cancelPromotion', 'retryChannelDelivery'],
      ],
    ];
    for (const [action, from, message, allowed] of cases) {
      assert.throws(
        () => planTransition(action, from, { now: during, window }),
        (error: unknown) => {
          assert.ok(error instanceof GraphQLError);
          assert.equal(error.message, message);
          assert.deepEqual(error.extensions, {
            code: 'INVALID_STATE_TRANSITION',
            currentState: from,
            allowedTransitions: allowed,
          });
          return true;
        },
      );
    }
  });

  test('allowed transitions per state', () => {
    assert.deepEqual(allowedTransitions(S.SUSPENDED), [
      'updatePromotionDraft',
      'resumePromotion',
      'endPromotion',
      'retryChannelDelivery',
    ]);
    assert.deepEqual(allowedTransitions(S.REJECTED), [
      'updatePromotionDraft',
      'cancelPromotion',
      'retryChannelDelivery',
    ]);
  });

  test('the clock state of a window (start inclusive, end exclusive)', () => {
    assert.equal(stateByClock(window, new Date('2026-03-09T23:59:59.999Z')), S.SCHEDULED);
    assert.equal(stateByClock(window, new Date('2026-03-10T00:00:00Z')), S.ACTIVE);
    assert.equal(stateByClock(window, new Date('2026-03-19T23:59:59.999Z')), S.ACTIVE);
    assert.equal(stateByClock(window, new Date('2026-03-20T00:00:00Z')), S.ENDED);
  });
});
