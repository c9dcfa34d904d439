import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import { DeadLetterRedriveResolver } from '../../../subgraphs/promotion/graph/dead-letter-redrive.resolver.ts';
import type { PromotionContext } from '../../../subgraphs/promotion/graph/context.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { ACTOR, createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
  errorSink,
  OffsetClock,
  openStore,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from '../delivery/delivery-fixtures.ts';
import { eventLog, inboxCounts, statusCounts } from './fault-fixtures.ts';

const pgSkip = await pgSkipReason();
const { ECOMMERCE, POS } = SalesChannel;

const PROMOTIONS = 6;
const GIVE_UP_MS = 2500;
const COOL_DOWN_MS = 500;

/**
 * A channel that never recovers: its deliveries are dead-lettered exactly when their schedule is
 * exhausted (the horizon `giveUpAfter` from when the dispatcher took them up), not before, and
 * not later than one pass after it; once the channel is back, the bulk redrive delivers them.
 */
describe(
  'fault: a channel that never recovers, then the bulk redrive (PostgreSQL)',
  { skip: pgSkip },
  () => {
    let schema: Awaited<ReturnType<typeof createTestSchema>>;
    let channels: RunningBackends;
    let store: Store;
    const sink = errorSink();
    const log = eventLog();

    before(async () => {
      schema = await createTestSchema();
      channels = await startChannels();
      store = await openStore(schema.open(), new OffsetClock().now);
      store.dispatcher({
        publisher: webhookPublisher(channels, 2000),
        policy: testDeliveryPolicy({
          maxAttempts: null,
          initialDelayMs: 100,
          maxDelayMs: 400,
          giveUpAfterMs: GIVE_UP_MS,
          concurrency: 4,
          requestTimeoutMs: 2000,
          failureThreshold: 3,
          coolDownMs: COOL_DOWN_MS,
        }),
        onError: sink.onError,
        onDeliveryEvent: log.onDeliveryEvent,
      });
    });
    after(async () => {
      await store?.closeDispatchers();
      await channels?.close();
      await schema?.drop();
    });

    test('dead letters when the schedule is exhausted; redriveDeadLetters delivers them', async (t) => {
      channels.state.channels.setMode('pos', 'error');
      const ids: string[] = [];
      for (let i = 0; i < PROMOTIONS; i++) ids.push(await store.publish([ECOMMERCE, POS]));
      await settled(store);

      assert.deepEqual(await statusCounts(store.db, ids), {
        ECOMMERCE: { ACKNOWLEDGED: PROMOTIONS },
        POS: { DEAD_LETTERED: PROMOTIONS },
      });
      const { rows } = await store.db.query(
        `SELECT promotion_id, schedule_started_at, give_up_at FROM channel_publications
        WHERE channel = 'POS' AND promotion_id = ANY($1::text[])`,
        [ids],
      );
      const deadAt = new Map(
        log.deadLetters().map((e) => [e.kind === 'DEAD_LETTERED' ? e.promotionId : '', e]),
      );
      assert.equal(deadAt.size, PROMOTIONS);
      const lateness: number[] = [];
      for (const row of rows) {
        const horizon = new Date(row.give_up_at as string).getTime();
        const started = new Date(row.schedule_started_at as string).getTime();
        assert.equal(horizon - started, GIVE_UP_MS);
        const event = deadAt.get(row.promotion_id as string)!;
        const at = Date.parse(event.at);
        assert.ok(at >= horizon, `dead-lettered ${horizon - at} ms before the horizon`);
        lateness.push(at - horizon);
        assert.equal(event.channel, POS);
      }
      // Exhausted means at the horizon: never before it, and after it only by the time a pass and
      // the write take (generous: CI machines are shared).
      assert.ok(Math.max(...lateness) < 4000, `late by ${lateness.join(', ')} ms`);
      const attempts = inboxCounts(channels, 'pos').byStatus[500] ?? 0;

      // The channel is back; an internal caller redrives every POS dead letter in one call.
      channels.state.channels.setMode('pos', 'accept');
      const resolver = new DeadLetterRedriveResolver();
      const ctx = {
        app: {
          dispatcher: store.dispatchers[0]!,
          commands: { retryDelivery: (id: string, c: SalesChannel) => store.retry(id, c) },
        },
        actor: ACTOR,
      } as unknown as PromotionContext;
      const result = await resolver.redriveDeadLetters(POS, null, ctx);
      assert.equal(result.redrivenCount, PROMOTIONS);
      assert.deepEqual(result.failed, []);
      assert.equal(result.more, false);
      assert.deepEqual(result.redriven.map((r) => r.promotionId).sort(), [...ids].sort());
      await settled(store);
      assert.deepEqual(await statusCounts(store.db, ids), {
        ECOMMERCE: { ACKNOWLEDGED: PROMOTIONS },
        POS: { ACKNOWLEDGED: PROMOTIONS },
      });
      // Nothing left to redrive.
      assert.equal((await resolver.redriveDeadLetters(POS, null, ctx)).redrivenCount, 0);
      for (const channel of ['pos', 'ecommerce'] as const) {
        const counts = inboxCounts(channels, channel);
        assert.equal(counts.acceptedKeys, PROMOTIONS, `${channel} accepted keys`);
        assert.equal(counts.duplicates, 0, `${channel} duplicates`);
      }
      assert.deepEqual(sink.errors, []);
      t.diagnostic(
        `POS never answers: ${PROMOTIONS} dead letters ${Math.min(...lateness)}–${Math.max(...lateness)} ms after their ${GIVE_UP_MS} ms horizon, ` +
          `${attempts} attempts in all; redriven ${result.redrivenCount}, all acknowledged; lost 0, duplicates 0`,
      );
    });
  },
);
