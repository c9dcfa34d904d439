import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planActivation } from '../../../subgraphs/promotion/activation/activation-plan.ts';
import { liveInChannel } from '../../../subgraphs/promotion/activation/activation-rules.ts';
import {
  ActivationMode,
  ChannelIntent,
  DeliveryStatus,
  PromotionState,
} from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type {
  ChannelPublicationRecord,
  PromotionRecord,
} from '../../../subgraphs/promotion/model/promotion.model.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { buildRecord, publication } from '../../integration/storage/storage-fixtures.ts';

const { LIVE, SUSPENDED } = ChannelIntent;
const { ACKNOWLEDGED, FAILED, SENT, DEAD_LETTERED } = DeliveryStatus;
const POLICY = { leadMs: 300_000, holdAfterMs: 30_000 };
// buildRecord's window: 2026-03-10 to 2026-03-20.
const IN_WINDOW = new Date('2026-03-12T00:00:00Z');
const DAYS_AHEAD = new Date('2026-03-02T00:00:00Z');

function record(
  channels: Partial<ChannelPublicationRecord>[],
  patch: Partial<PromotionRecord> = {},
): PromotionRecord {
  const base = buildRecord('p1', {
    state: PromotionState.ACTIVE,
    version: 4,
    updatedAt: '2026-03-01T00:00:00.000Z',
    ...patch,
  });
  const names = [SalesChannel.ECOMMERCE, SalesChannel.POS, SalesChannel.MOBILE];
  return {
    ...base,
    channels: channels.map((c, i) => ({ ...publication(base, names[i]!), ...c })),
  };
}
const confirmed = { intent: LIVE, status: ACKNOWLEDGED, acknowledgedIntent: LIVE, held: false };
const stored = { intent: LIVE, status: ACKNOWLEDGED, acknowledgedIntent: SUSPENDED, held: true };
const downNow = { intent: LIVE, status: FAILED, lastError: 'HTTP 503', held: false };

describe('planActivation (pure)', () => {
  test('every targeted channel confirmed: nothing to do, or the hold ends', () => {
    assert.deepEqual(planActivation(record([confirmed, confirmed]), IN_WINDOW, POLICY), {
      kind: 'none',
    });
    const hold = { since: '2026-03-11T00:00:00Z', reason: 'x', awaiting: [SalesChannel.POS] };
    assert.deepEqual(
      planActivation(record([confirmed, confirmed], { activationHold: hold }), IN_WINDOW, POLICY),
      { kind: 'live' },
    );
  });

  test('all held channels stored it: release them', () => {
    assert.deepEqual(planActivation(record([stored, stored]), IN_WINDOW, POLICY), {
      kind: 'release',
      channels: [SalesChannel.ECOMMERCE, SalesChannel.POS],
    });
    assert.deepEqual(planActivation(record([confirmed, stored]), IN_WINDOW, POLICY), {
      kind: 'release',
      channels: [SalesChannel.POS],
    });
  });

  test('a failing channel in the window holds every channel not held yet', () => {
    assert.deepEqual(planActivation(record([confirmed, downNow]), IN_WINDOW, POLICY), {
      kind: 'hold',
      channels: [SalesChannel.ECOMMERCE, SalesChannel.POS],
      reason: 'POS failing: HTTP 503',
      awaiting: [SalesChannel.POS],
    });
  });

  test('days ahead a failing channel is not compensated, only marked after holdAfter', () => {
    const early = record([confirmed, downNow], { updatedAt: '2026-03-01T23:59:50.000Z' });
    assert.deepEqual(planActivation(early, DAYS_AHEAD, POLICY), { kind: 'none' });
    const later = new Date('2026-03-02T00:00:20.000Z');
    assert.deepEqual(planActivation(early, later, POLICY), {
      kind: 'hold',
      channels: [],
      reason: 'POS failing: HTTP 503',
      awaiting: [SalesChannel.POS],
    });
  });

  test('a failing content resend to a channel that shows it live does not hold anything', () => {
    const resend = { ...confirmed, status: FAILED, lastError: 'HTTP 503' };
    assert.deepEqual(planActivation(record([confirmed, resend]), IN_WINDOW, POLICY), {
      kind: 'none',
    });
  });

  test('still in flight: no hold before holdAfter; a hold is not rewritten for the same channels', () => {
    const inFlight = { intent: LIVE, status: SENT, held: true, acknowledgedIntent: null };
    const fresh = record([stored, inFlight], { updatedAt: '2026-03-11T23:59:59.000Z' });
    assert.deepEqual(planActivation(fresh, IN_WINDOW, POLICY), { kind: 'none' });
    const stale = record([stored, inFlight]);
    const step = planActivation(stale, IN_WINDOW, POLICY);
    assert.deepEqual(step, {
      kind: 'hold',
      channels: [],
      reason: 'POS not acknowledged yet',
      awaiting: [SalesChannel.POS],
    });
    const hold = {
      since: '2026-03-11T00:00:00Z',
      reason: 'POS not acknowledged yet',
      awaiting: [SalesChannel.POS],
    };
    assert.deepEqual(
      planActivation(record([stored, inFlight], { activationHold: hold }), IN_WINDOW, POLICY),
      { kind: 'none' },
    );
    // Once POS starts failing the reason says so (once, not for every new error of a retry).
    const failingNow = { ...inFlight, status: FAILED, lastError: 'HTTP 503' };
    const held = record([stored, failingNow], { activationHold: hold });
    assert.deepEqual(planActivation(held, IN_WINDOW, POLICY), {
      kind: 'hold',
      channels: [],
      reason: 'POS failing: HTTP 503',
      awaiting: [SalesChannel.POS],
    });
    const known = { ...hold, reason: 'POS failing: HTTP 503' };
    const nextError = { ...failingNow, lastError: 'timeout' };
    assert.deepEqual(
      planActivation(record([stored, nextError], { activationHold: known }), IN_WINDOW, POLICY),
      { kind: 'none' },
    );
  });

  test('not applicable any more: a hold is cleared (ended, PER_CHANNEL, nothing targeted)', () => {
    const hold = { since: '2026-03-11T00:00:00Z', reason: 'x', awaiting: [SalesChannel.POS] };
    const dead = { ...downNow, status: DEAD_LETTERED };
    for (const patch of [
      { state: PromotionState.ENDED },
      { activationMode: ActivationMode.PER_CHANNEL },
    ]) {
      assert.deepEqual(
        planActivation(
          record([stored, dead], { ...patch, activationHold: hold }),
          IN_WINDOW,
          POLICY,
        ),
        { kind: 'clear' },
      );
    }
    const suspended = { ...confirmed, intent: SUSPENDED };
    assert.deepEqual(
      planActivation(record([suspended], { activationHold: hold }), IN_WINDOW, POLICY),
      { kind: 'clear' },
    );
  });
});

describe('liveInChannel (pure)', () => {
  test('ALL_OR_NONE: every targeted channel or none; PER_CHANNEL: each on its own', () => {
    const partial = record([confirmed, stored]);
    assert.equal(liveInChannel(partial, SalesChannel.ECOMMERCE), false);
    assert.equal(liveInChannel(record([confirmed, confirmed]), SalesChannel.POS), true);
    const perChannel = record([confirmed, stored], { activationMode: ActivationMode.PER_CHANNEL });
    assert.equal(liveInChannel(perChannel, SalesChannel.ECOMMERCE), true);
    assert.equal(liveInChannel(perChannel, SalesChannel.POS), false);
    // A suspended channel is not targeted: the rest stays live.
    const oneSuspended = record([confirmed, { ...confirmed, intent: SUSPENDED }]);
    assert.equal(liveInChannel(oneSuspended, SalesChannel.ECOMMERCE), true);
    assert.equal(liveInChannel(oneSuspended, SalesChannel.POS), false);
  });
});
