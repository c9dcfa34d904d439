import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { InvalidEventError } from '../../../subgraphs/promotion/events/promotion-event-schema.ts';
import {
  CursorExpiredError,
  createRedisEventBus,
  type RedisEventBus,
  type RedisEventBusOptions,
} from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from '../throttling/redis-process.ts';
import {
  busEvent,
  busEvents,
  clientsNamed,
  deleteKeys,
  range,
  take,
  testPrefix,
} from './redis-events-fixtures.ts';

const skip = await sharedRedisSkipReason();
const url = SHARED_REDIS_URL;

describe('RedisEventBus on the shared Redis', { skip: skip ?? false }, () => {
  const prefixes: string[] = [];
  const buses: RedisEventBus[] = [];
  let admin: Redis;

  /** A bus on a fresh stream (or on `prefix`, to play a second process on the same stream). */
  async function open(options: Partial<RedisEventBusOptions> = {}): Promise<RedisEventBus> {
    const prefix = options.prefix ?? testPrefix();
    if (!prefixes.includes(prefix)) prefixes.push(prefix);
    const bus = await createRedisEventBus({ url, ...options, prefix });
    buses.push(bus);
    return bus;
  }

  before(() => {
    admin = new Redis(url);
  });
  after(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await Promise.all(prefixes.map((prefix) => deleteKeys(url, prefix)));
    await admin.quit();
  });

  test('events come back in cursor order, with stream IDs <cursor>-1', async () => {
    const bus = await open();
    assert.equal(bus.latestCursor(), null);
    await bus.append(busEvents(1, 3));
    await bus.append(busEvents(4, 5));
    assert.equal(bus.latestCursor(), '000000000000000005');
    const stream = bus.stream();
    assert.deepEqual(await take(stream, 5), range(1, 5));
    await stream.return?.();
    const ids = (await admin.xrange(bus.streamKey, '-', '+')).map(([id]) => id);
    assert.deepEqual(ids, ['1-1', '2-1', '3-1', '4-1', '5-1']);
    const stored = (await admin.xrange(bus.streamKey, '-', '+', 'COUNT', 1))[0]![1];
    assert.equal(stored[0], 'e');
    assert.equal(JSON.parse(stored[1]!).cursor, '000000000000000001');
  });

  test('an event already on the stream is not added again (replay, second relay)', async () => {
    const bus = await open();
    await bus.append(busEvents(1, 5));
    await bus.append(busEvents(3, 7)); // 3..5 are there: only 6 and 7 are added
    await bus.append(busEvents(1, 7)); // a full replay adds nothing
    await bus.append([busEvent(2)]);
    assert.equal(await admin.xlen(bus.streamKey), 7);
    const stream = bus.stream({ after: null });
    assert.deepEqual(await take(stream, 7), range(1, 7));
    await stream.return?.();
    assert.equal(bus.latestCursor(), '000000000000000007');
  });

  test('appends issued back to back without awaiting keep their order (nothing refused)', async () => {
    // As callers that do not await one another issue them (the bus must not rely on the relay).
    const bus = await open();
    await Promise.all(range(1, 300).map((n) => bus.append([busEvent(n)])));
    assert.equal(await admin.xlen(bus.streamKey), 300);
    const stream = bus.stream();
    assert.deepEqual(await take(stream, 300), range(1, 300));
    await stream.return?.();
  });

  test('an event that breaks the v1 schema is refused and nothing of its batch is written', async () => {
    const bus = await open();
    await bus.append(busEvents(1, 2));
    const bad = { ...busEvent(4), kind: 'RENAMED', extra: true } as never;
    await assert.rejects(bus.append([busEvent(3), bad]), (error: unknown) => {
      assert.ok(error instanceof InvalidEventError);
      assert.deepEqual(error.problems, [
        '$: must NOT have additional properties (extra)',
        '/kind: must be equal to one of the allowed values',
      ]);
      return true;
    });
    await assert.rejects(bus.append([busEvent(5), busEvent(4)]), {
      message: 'event cursor 000000000000000004 is not after 000000000000000005',
    });
    assert.equal(await admin.xlen(bus.streamKey), 2);
    assert.equal(bus.latestCursor(), '000000000000000002');
  });

  test('replay then live under concurrent appends: every event once, in order', async () => {
    const writer = await open();
    const prefix = prefixes.at(-1)!;
    await writer.append(busEvents(1, 300));
    // Small pages and queues force several catch-up pages and the slow-consumer fallback.
    const reader = await open({ prefix, pageSize: 40, maxQueued: 25 });
    const streams = [
      reader.stream(),
      reader.stream({ after: '150' }),
      reader.stream({ after: '000000000000000299' }),
    ];
    const appending = (async () => {
      for (let n = 301; n <= 600; n += 10) await writer.append(busEvents(n, n + 9));
    })();
    const [all, fromMiddle, fromEnd] = await Promise.all([
      take(streams[0]!, 600),
      take(streams[1]!, 450),
      take(streams[2]!, 301),
    ]);
    await appending;
    assert.deepEqual(all, range(1, 600));
    assert.deepEqual(fromMiddle, range(151, 600));
    assert.deepEqual(fromEnd, range(300, 600));
    for (const stream of streams) await stream.return?.();
  });

  test('a subscriber that does not read for a while loses nothing (bounded queue, re-read)', async () => {
    const bus = await open({ maxQueued: 5, pageSize: 7 });
    const stream = bus.stream();
    const first = stream.next(); // live before anything is appended
    await bus.append(busEvents(1, 1));
    assert.equal((await first).value?.cursor, '000000000000000001');
    for (let n = 2; n <= 100; n += 3) await bus.append(busEvents(n, n + 2));
    assert.deepEqual(await take(stream, 99), range(2, 100));
    await stream.return?.();
  });

  test('two bus instances on one Redis: events appended by one reach the other', async () => {
    const a = await open();
    const b = await open({ prefix: prefixes.at(-1)! });
    const onB = b.stream();
    const onA = a.stream();
    await a.append(busEvents(1, 2));
    await b.append(busEvents(3, 4));
    assert.deepEqual(await take(onB, 4), range(1, 4));
    assert.deepEqual(await take(onA, 4), range(1, 4));
    assert.equal(b.latestCursor(), '000000000000000004');
    assert.equal(a.latestCursor(), '000000000000000004');
    await onA.return?.();
    await onB.return?.();
    // A third process starting now knows where the stream is.
    const c = await open({ prefix: prefixes.at(-1)! });
    assert.equal(c.latestCursor(), '000000000000000004');
    await b.append(busEvents(5, 5));
    assert.equal(await c.fetchLatestCursor(), '000000000000000005');
  });

  test('filter: only matching events, still in order', async () => {
    const bus = await open();
    await bus.append(busEvents(1, 6));
    const stream = bus.stream({ after: '1', filter: (e) => e.promotionId === 'prm_1' });
    const live = take(stream, 3);
    await bus.append(busEvents(7, 10));
    assert.deepEqual(await live, [4, 7, 10]);
    await stream.return?.();
  });

  test('return() ends a waiting stream at once; N streams share one reader connection', async () => {
    const name = `ev-test-${randomBytes(4).toString('hex')}`;
    const bus = await open({ connectionName: name });
    const streams = Array.from({ length: 50 }, () => bus.stream());
    const pending = streams[0]!.next();
    assert.equal(bus.subscriberCount, 50);
    assert.deepEqual(await clientsNamed(url, name), [`${name}:commands`, `${name}:reader`]);
    assert.deepEqual(await streams[0]!.return?.(), { value: undefined, done: true });
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.deepEqual(await streams[0]!.next(), { value: undefined, done: true });
    for (const stream of streams.slice(1)) await stream.return?.();
    assert.equal(bus.subscriberCount, 0);
    // close() ends open streams and releases both connections.
    const open2 = bus.stream();
    const waiting = open2.next();
    await bus.close();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.deepEqual(await eventually(() => clientsNamed(url, name), []), []);
  });

  test('retention: MAXLEN ~ trims; a cursor older than the retained events is refused', async () => {
    const bus = await open({ retain: 10, pageSize: 50 });
    for (let n = 1; n <= 250; n += 50) await bus.append(busEvents(n, n + 49));
    const length = await admin.xlen(bus.streamKey);
    assert.ok(length >= 10 && length < 250, `kept ${length}`);
    const oldest = Number(
      (await admin.xrange(bus.streamKey, '-', '+', 'COUNT', 1))[0]![0].split('-')[0],
    );
    assert.equal(oldest, 250 - length + 1);

    const expired = bus.stream({ after: '1' });
    await assert.rejects(expired.next(), (error: unknown) => {
      assert.ok(error instanceof CursorExpiredError);
      assert.deepEqual(
        { message: error.message, extensions: error.extensions },
        {
          message: `cursor expired: events after 000000000000000001 are no longer retained (oldest retained: ${String(oldest).padStart(18, '0')})`,
          extensions: {
            code: 'CURSOR_EXPIRED',
            problems: [{ field: 'after', message: 'cursor expired' }],
            oldestCursor: String(oldest).padStart(18, '0'),
          },
        },
      );
      return true;
    });
    assert.deepEqual(await expired.next(), { value: undefined, done: true });
    assert.equal(bus.subscriberCount, 0);

    const justInTime = bus.stream({ after: String(oldest - 1) });
    assert.deepEqual(await take(justInTime, 2), [oldest, oldest + 1]);
    await justInTime.return?.();
    const everything = bus.stream();
    assert.deepEqual(await take(everything, length), range(oldest, 250));
    await everything.return?.();
  });
});

/** Re-reads `read` until it deep-equals `expected` (a server-side effect), for up to 5 s. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    try {
      assert.deepEqual(value, expected);
      return value;
    } catch (error) {
      if (i >= 100) throw error;
      await delay(50);
    }
  }
}
