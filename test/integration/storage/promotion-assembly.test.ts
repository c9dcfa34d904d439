import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
} from '../../../subgraphs/promotion/assemble.ts';
import { DurableChannelDispatcher } from '../../../subgraphs/promotion/delivery/durable-dispatcher.ts';
import type { HistoryEventBus } from '../../../subgraphs/promotion/events/history-event-bus.ts';
import { InMemoryEventBus } from '../../../subgraphs/promotion/events/in-memory-event-bus.ts';
import { RedisEventBus } from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { FakeReadinessGate } from '../../unit/promotion/promotion-harness.ts';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from '../throttling/redis-process.ts';
import { createTestSchema, PG_URL, pgSkipReason } from './storage-fixtures.ts';

/** No readiness or funding calls happen here: stand-ins so no client is opened for them. */
const PORTS = { readinessGate: new FakeReadinessGate(), fundingAgreements: null };

/** The server's `version()`: PGlite names itself. */
async function version(subgraph: AssembledPromotionSubgraph): Promise<string> {
  const { rows } = await subgraph.storage.db.query<{ version: string }>('SELECT version()');
  return rows[0]!.version;
}

const skip = (await pgSkipReason()) || (await sharedRedisSkipReason()) || false;

describe('assemblePromotionSubgraph picks the store and the bus from the config', () => {
  test('no DATABASE_URL or REDIS_URL: embedded PGlite in memory, the in-process bus', async () => {
    const subgraph = await assemblePromotionSubgraph(testSubgraphConfig(), PORTS);
    try {
      assert.match(await version(subgraph), /\(PGlite /);
      assert.ok((subgraph.app.eventBus as HistoryEventBus).bus instanceof InMemoryEventBus);
      assert.ok(subgraph.app.dispatcher instanceof DurableChannelDispatcher);
    } finally {
      await subgraph.dispose();
    }
  });

  test(
    'DATABASE_URL and REDIS_URL: PostgreSQL and Redis Streams, both closed by dispose',
    { skip },
    async () => {
      const schema = await createTestSchema();
      try {
        const databaseUrl = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
        const subgraph = await assemblePromotionSubgraph(
          testSubgraphConfig({ databaseUrl, redisUrl: SHARED_REDIS_URL }),
          PORTS,
        );
        assert.doesNotMatch(await version(subgraph), /PGlite/);
        assert.ok((subgraph.app.eventBus as HistoryEventBus).bus instanceof RedisEventBus);
        assert.ok(subgraph.app.dispatcher instanceof DurableChannelDispatcher);
        await subgraph.dispose(); // the Redis connections too, or this file would never exit
        await assert.rejects(subgraph.storage.db.query('SELECT 1'));
      } finally {
        await schema.drop();
      }
    },
  );
});
