import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import {
  createRedisEventBus,
  type RedisEventBus,
} from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import {
  redisServerSkipReason,
  startRedisProcess,
  type RedisProcess,
} from '../throttling/redis-process.ts';
import { busEvents, take, testPrefix } from './redis-events-fixtures.ts';

/** Appends until Redis takes the events, as the outbox relay does (its rows stay unpublished). */
async function appendAsTheRelayDoes(
  bus: RedisEventBus,
  events: PromotionBusEvent[],
): Promise<number> {
  for (let failures = 0; ; failures++) {
    try {
      await bus.append(events);
      return failures;
    } catch (error) {
      if (failures >= 100) throw error;
      await delay(100); // the relay's poll period, shortened
    }
  }
}

const skip = redisServerSkipReason();

describe('RedisEventBus across a Redis crash and restart', { skip: skip ?? false }, () => {
  let redis: RedisProcess;
  let writer: RedisEventBus;
  let reader: RedisEventBus;
  const prefix = testPrefix();

  before(async () => {
    // A private redis-server: this test kills it (never the shared one on 6379).
    redis = await startRedisProcess();
    const onError = () => {}; // retried failures are expected while Redis is down
    writer = await createRedisEventBus({ url: redis.url, prefix, onError });
    reader = await createRedisEventBus({ url: redis.url, prefix, onError });
  });
  after(async () => {
    await writer?.close();
    await reader?.close();
    await redis?.stop();
  });

  test('a live stream resumes after its last cursor; appends fail while down and land after', async () => {
    const live = reader.stream();
    await writer.append(busEvents(1, 3));
    assert.deepEqual(await take(live, 3), [1, 2, 3]);
    const afterOutage = take(live, 3); // waits through the outage

    await redis.stop(); // SIGKILL; started with no persistence, so the stream is gone too
    await assert.rejects(writer.append(busEvents(4, 5)));
    // A client reconnecting while Redis is down: its catch-up read retries until Redis is back.
    const openedWhileDown = reader.stream({ after: '000000000000000003' });
    const caughtUp = take(openedWhileDown, 3);
    await redis.start();
    await appendAsTheRelayDoes(writer, busEvents(4, 5));
    await writer.append(busEvents(6, 6));

    assert.deepEqual(await afterOutage, [4, 5, 6]);
    assert.deepEqual(await caughtUp, [4, 5, 6]);
    await openedWhileDown.return?.();
    assert.equal(reader.latestCursor(), '000000000000000006');
    // A subscriber reconnecting with its last cursor gets the rest, nothing twice.
    const resumed = reader.stream({ after: '000000000000000003' });
    assert.deepEqual(await take(resumed, 3), [4, 5, 6]);
    await resumed.return?.();
    await live.return?.();
  });
});
