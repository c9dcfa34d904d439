import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  startLiveFeed,
  type FeedSink,
  type FeedStatus,
} from '../../../../gateway/tower/app/api/live-feed.ts';

type Event = { cursor: string };

/** A transport the test drives by hand, and a timer it fires by hand. */
function harness(retryDelaysMs = [10, 20]) {
  const attempts: { variables: { after?: string }; sink: FeedSink<Event>; disposed: boolean }[] =
    [];
  const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
  const events: string[] = [];
  const statuses: FeedStatus[] = [];
  let freshStarts = 0;
  const feed = startLiveFeed<Event>({
    onFresh: () => (freshStarts += 1),
    subscribe(variables, sink) {
      const attempt = { variables, sink, disposed: false };
      attempts.push(attempt);
      return () => (attempt.disposed = true);
    },
    cursorOf: (event) => event.cursor,
    onEvent: (event) => events.push(event.cursor),
    onStatus: (status) => statuses.push(status),
    retryDelaysMs,
    setTimer: (run, ms) => {
      const timer = { run, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => ((timer as { cleared: boolean }).cleared = true),
  });
  const fire = () => timers.at(-1)!.run();
  return { feed, attempts, timers, events, statuses, fire, freshStarts: () => freshStarts };
}

describe('the control tower live feed (reconnects resume from the last cursor)', () => {
  test('a dropped connection resubscribes after the back-off with after: <last cursor>', () => {
    const h = harness();
    assert.deepEqual(h.attempts[0]!.variables, {});
    h.attempts[0]!.sink.connected();
    h.attempts[0]!.sink.next({ cursor: '7' });
    h.attempts[0]!.sink.next({ cursor: '8' });
    h.attempts[0]!.sink.error({ message: 'connection closed (1006)', fatal: false });
    assert.deepEqual(
      h.timers.map((t) => t.ms),
      [10],
    );
    h.fire();
    assert.deepEqual(h.attempts[1]!.variables, { after: '8' });
    h.attempts[1]!.sink.next({ cursor: '9' });
    assert.deepEqual(h.events, ['7', '8', '9']);
    assert.equal(h.feed.cursor(), '9');
    assert.deepEqual(h.statuses, [
      { state: 'connecting' },
      { state: 'live' },
      { state: 'reconnecting', inMs: 10, reason: 'connection closed (1006)' },
      { state: 'connecting' },
    ]);
  });

  test('back-off grows while attempts fail, and starts over once connected', () => {
    const h = harness([10, 20]);
    h.attempts[0]!.sink.error({ message: 'down', fatal: false });
    h.fire();
    h.attempts[1]!.sink.error({ message: 'down', fatal: false });
    h.fire();
    h.attempts[2]!.sink.error({ message: 'down', fatal: false });
    h.fire();
    h.attempts[3]!.sink.connected();
    h.attempts[3]!.sink.complete(); // the gateway ended it (reload): retried too
    assert.deepEqual(
      h.timers.map((t) => t.ms),
      [10, 20, 20, 10],
    );
    assert.deepEqual(h.statuses.at(-1), {
      state: 'reconnecting',
      inMs: 10,
      reason: 'the gateway ended the subscription',
    });
  });

  test('a fatal error (refused token or document) stops without retrying', () => {
    const h = harness();
    h.attempts[0]!.sink.error({ message: 'connection closed (4401: token expired)', fatal: true });
    assert.equal(h.timers.length, 0);
    assert.deepEqual(h.statuses.at(-1), {
      state: 'stopped',
      reason: 'connection closed (4401: token expired)',
    });
  });

  test('stop disposes the subscription, cancels a pending retry, and ignores late callbacks', () => {
    const h = harness();
    h.attempts[0]!.sink.error({ message: 'down', fatal: false });
    const late = h.attempts[0]!.sink;
    h.feed.stop();
    assert.equal(h.timers[0]!.cleared, true);
    late.next({ cursor: '99' });
    assert.deepEqual(h.events, []);
    const fresh = harness();
    fresh.feed.stop();
    assert.equal(fresh.attempts[0]!.disposed, true);
  });

  test('CURSOR_EXPIRED: the next attempt starts from now, and the page is told to re-read', () => {
    const h = harness();
    h.attempts[0]!.sink.connected();
    assert.equal(h.freshStarts(), 1, 'the first subscription starts from now');
    h.attempts[0]!.sink.next({ cursor: '7' });
    h.attempts[0]!.sink.error({ message: 'down', fatal: false });
    h.fire();
    assert.deepEqual(h.attempts[1]!.variables, { after: '7' });
    h.attempts[1]!.sink.connected();
    assert.equal(h.freshStarts(), 1, 'a resumed subscription needs no re-read');
    h.attempts[1]!.sink.error({
      message: 'CURSOR_EXPIRED: cursor expired: events after 7 are no longer retained',
      fatal: false,
      expired: true,
    });
    h.fire();
    assert.deepEqual(h.attempts[2]!.variables, {});
    h.attempts[2]!.sink.connected();
    assert.equal(h.freshStarts(), 2);
    h.attempts[2]!.sink.next({ cursor: '42' });
    assert.deepEqual(h.events, ['7', '42']);
  });
});
