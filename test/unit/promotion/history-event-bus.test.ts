import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { CursorExpiredError } from '../../../subgraphs/promotion/events/cursor-expired.ts';
import type { EventHistory } from '../../../subgraphs/promotion/events/event-history.ts';
import { HistoryEventBus } from '../../../subgraphs/promotion/events/history-event-bus.ts';
import { InMemoryEventBus } from '../../../subgraphs/promotion/events/in-memory-event-bus.ts';
import { createPromotionContext } from '../../../subgraphs/promotion/graph/context.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { busEvents } from '../../integration/events/redis-events-fixtures.ts';
import { CREATE, createHarness, draftInput, principalOf } from './promotion-harness.ts';

/** The outbox as an array (every event ever committed); `failing` makes reads reject. */
class ArrayHistory implements EventHistory {
  failing = false;
  reads = 0;
  constructor(readonly events: PromotionBusEvent[]) {}
  async read(after: string, limit: number, before?: string): Promise<PromotionBusEvent[]> {
    this.reads += 1;
    if (this.failing) throw new Error('connection refused');
    return this.events
      .filter(
        (e) =>
          BigInt(e.cursor) > BigInt(after) &&
          (before === undefined || BigInt(e.cursor) < BigInt(before)),
      )
      .slice(0, limit);
  }
  async latestCursor(): Promise<string | null> {
    return this.events.at(-1)?.cursor ?? null;
  }
}

async function cursors(stream: AsyncIterator<PromotionBusEvent>, n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const next = await stream.next();
    if (next.done) throw new Error(`ended after ${out.length}`);
    out.push(Number(next.value.cursor));
  }
  return out;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('HistoryEventBus: gaps on the bus are served from the history, never silent', () => {
  test('a cursor older than the in-process bus retains: the outbox serves the gap, then the bus', async () => {
    const all = busEvents(1, 40);
    const inner = new InMemoryEventBus({ retain: 5 });
    await inner.append(all.slice(0, 30)); // retains 26..30
    const bus = new HistoryEventBus(inner, new ArrayHistory(all.slice(0, 30)), { pageSize: 7 });
    const stream = bus.stream({ after: '3' });
    assert.deepEqual(await cursors(stream, 27), range(4, 30));
    await inner.append(all.slice(30, 32));
    assert.deepEqual(await cursors(stream, 2), [31, 32]);
    await stream.return?.();
  });

  test('a bus that skipped events (lost entries) has the hole filled in order', async () => {
    const all = busEvents(1, 10);
    const inner = new InMemoryEventBus();
    const bus = new HistoryEventBus(inner, new ArrayHistory(all));
    const stream = bus.stream({ after: '0' });
    await inner.append([all[0]!, all[1]!, all[6]!, all[7]!]); // 3..6 never reached the bus
    assert.deepEqual(await cursors(stream, 8), range(1, 8));
    await stream.return?.();
  });

  test('a bus that lost everything (restarted empty) is not taken for a quiet one', async () => {
    const all = busEvents(1, 12);
    const history = new ArrayHistory(all.slice(0, 10));
    const bus = new HistoryEventBus(new InMemoryEventBus(), history);
    const stream = bus.stream({ after: '4' });
    assert.deepEqual(await cursors(stream, 6), range(5, 10));
    await bus.append(all.slice(10, 12));
    assert.deepEqual(await cursors(stream, 2), [11, 12]);
    await stream.return?.();
  });

  test('not in the history either (outbox pruned): CURSOR_EXPIRED, then done', async () => {
    const inner = new InMemoryEventBus({ retain: 3 });
    await inner.append(busEvents(1, 20)); // retains 18..20
    const history = new ArrayHistory(busEvents(1, 20).slice(9)); // outbox pruned up to 9
    const bus = new HistoryEventBus(inner, history);
    const stream = bus.stream({ after: '4' });
    await assert.rejects(stream.next(), (error: unknown) => {
      assert.ok(error instanceof CursorExpiredError);
      assert.deepEqual(
        { message: error.message, extensions: error.extensions },
        {
          message: 'cursor expired: events after 4 are neither on the event bus nor in the outbox',
          extensions: {
            code: 'CURSOR_EXPIRED',
            problems: [{ field: 'after', message: 'cursor expired' }],
          },
        },
      );
      return true;
    });
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });

  test('no history, or one that cannot be read: CURSOR_EXPIRED, never a gap', async () => {
    const inner = new InMemoryEventBus({ retain: 3 });
    await inner.append(busEvents(1, 20));
    await assert.rejects(new HistoryEventBus(inner, null).stream({ after: '4' }).next(), {
      message: 'cursor expired: events after 4 are no longer retained (oldest retained: 18)',
    });
    const history = new ArrayHistory(busEvents(1, 20));
    history.failing = true;
    await assert.rejects(new HistoryEventBus(inner, history).stream({ after: '4' }).next(), {
      message:
        'cursor expired: events after 4 are no longer on the event bus, and the outbox could not be read',
    });
  });

  test('fromNow: only events appended after the call, and no history read', async () => {
    const inner = new InMemoryEventBus();
    await inner.append(busEvents(1, 5));
    const history = new ArrayHistory(busEvents(1, 5));
    const bus = new HistoryEventBus(inner, history);
    const stream = bus.stream({ fromNow: true });
    await inner.append(busEvents(6, 7));
    assert.deepEqual(await cursors(stream, 2), [6, 7]);
    await stream.return?.();
    assert.equal(history.reads, 0);
  });

  test('filter applies after the gap check; return() ends a waiting stream', async () => {
    const all = busEvents(1, 9);
    const inner = new InMemoryEventBus({ retain: 2 });
    await inner.append(all);
    const bus = new HistoryEventBus(inner, new ArrayHistory(all));
    const stream = bus.stream({ after: '0', filter: (e) => e.promotionId === 'prm_1' });
    assert.deepEqual(await cursors(stream, 3), [1, 4, 7]);
    const waiting = stream.next();
    await stream.return?.();
    assert.deepEqual(await waiting, { value: undefined, done: true });
  });
});

const SUBSCRIPTION = parse(`subscription ($after: String) {
  promotionStateChanged(after: $after) { cursor }
}`);

describe('promotionStateChanged on the in-process bus with a short retention (PGlite outbox)', () => {
  test('`after` older than the bus retains: every event once, in order, from the outbox; no `after`: from now', async () => {
    const h = await createHarness({ eventBus: new InMemoryEventBus({ retain: 2 }) });
    try {
      for (let i = 0; i < 6; i++) await h.run(CREATE, { input: draftInput() });
      // "Now" is the newest event on the bus: let the relay forward the sixth first.
      await h.subgraph.storage.relay.drain();
      const open = async (variables: Record<string, unknown>) => {
        const result = await subscribe({
          schema: h.schema,
          document: SUBSCRIPTION,
          variableValues: variables,
          contextValue: createPromotionContext(h.app, principalOf()),
        });
        return result as AsyncGenerator<
          ExecutionResult<{ promotionStateChanged: { cursor: string } }>
        >;
      };
      const next = async (it: Awaited<ReturnType<typeof open>>) => {
        const { value } = await it.next();
        assert.equal(value?.errors, undefined);
        return Number(value!.data!.promotionStateChanged.cursor);
      };
      const replay = await open({ after: '1' });
      const fromNow = await open({});
      const got = [];
      for (let i = 0; i < 5; i++) got.push(await next(replay));
      assert.deepEqual(got, [2, 3, 4, 5, 6]);
      await h.run(CREATE, { input: draftInput() });
      assert.equal(await next(replay), 7);
      assert.equal(await next(fromNow), 7, 'no replay of 1..6 without `after`');
      await replay.return(undefined);
      await fromNow.return(undefined);
    } finally {
      await h.close();
    }
  });
});
