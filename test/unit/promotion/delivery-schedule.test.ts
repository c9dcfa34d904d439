import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  nextAttemptAt,
  retryDelayMs,
  type RetrySchedule,
} from '../../../subgraphs/promotion/delivery/delivery-schedule.ts';

const SCHEDULE: RetrySchedule = {
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  giveUpAfterMs: 6 * 3_600_000,
  maxAttempts: null,
};
const NOW = new Date('2026-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('retry schedule (policies/delivery.yaml: exponential, equal jitter, bounded)', () => {
  test('the n-th wait is drawn from [d/2, d) with d = min(maxDelay, initialDelay · 2^(n-1))', () => {
    for (const [failures, d] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [6, 32_000],
      [7, 60_000],
      [30, 60_000],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(failures, SCHEDULE);
        assert.ok(
          delay >= d / 2 && delay < d,
          `failure ${failures}: ${delay} not in [${d / 2}, ${d})`,
        );
      }
    }
  });

  test('the next attempt never falls after the horizon: the last one is made at it', () => {
    const horizon = later(1500);
    const next = nextAttemptAt(3, NOW, SCHEDULE, horizon); // the wait is 2–4 s
    assert.deepEqual(next, horizon);
    assert.equal(nextAttemptAt(4, horizon, SCHEDULE, horizon), undefined);
    assert.equal(nextAttemptAt(4, later(2000), SCHEDULE, horizon), undefined);
  });

  test('a horizon bounded by the promotion end ends the schedule there (giveUpAfter is longer)', () => {
    // The dispatcher stores min(start + giveUpAfter, promotion end) as the horizon.
    const promotionEnd = later(10_000);
    let at = NOW;
    let attempts = 1;
    const attemptsAt: Date[] = [];
    for (;;) {
      const next = nextAttemptAt(attempts, at, SCHEDULE, promotionEnd);
      if (!next) break;
      attemptsAt.push(next);
      at = next;
      attempts++;
    }
    assert.ok(attemptsAt.every((t) => t <= promotionEnd));
    assert.deepEqual(attemptsAt.at(-1), promotionEnd);
  });

  test('maxAttempts, when set, ends the schedule before the horizon', () => {
    const capped = { ...SCHEDULE, maxAttempts: 3 };
    assert.ok(nextAttemptAt(2, NOW, capped, later(3_600_000)));
    assert.equal(nextAttemptAt(3, NOW, capped, later(3_600_000)), undefined);
  });
});
