import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { RunningBackends } from '../../../backends/server.ts';
import type { ChannelPublisher } from '../../../subgraphs/promotion/delivery/channel-publisher.ts';
import { createPgDatabase } from '../../../subgraphs/promotion/storage/pg-database.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { createTestSchema, PG_URL, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
  auditByChannel,
  channelEvents,
  channelRows,
  errorSink,
  inbox,
  keyOf,
  OffsetClock,
  openStore,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from './delivery-fixtures.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const pgSkip = await pgSkipReason();
const CHANNELS = [SalesChannel.ECOMMERCE, SalesChannel.POS];
const PENDING = 'PENDING (channels: ECOMMERCE, POS)';

/** Runs `hook` after the channel answered the n-th send (before the outcome is stored). */
function afterSend(inner: ChannelPublisher, hook: (n: number) => Promise<void>): ChannelPublisher {
  let n = 0;
  return {
    async deliver(delivery) {
      const outcome = await inner.deliver(delivery);
      await hook(++n);
      return outcome;
    },
  };
}

/**
 * Exact final state after an outage: every channel ACKNOWLEDGED once (one event, one audit
 * entry, lease released), and at-least-once on the wire: an attempt whose outcome could not be
 * stored shows as `abandoned` and was sent again with the same key, which the channel answered
 * as a duplicate with the same ref.
 */
async function assertDeliveredOnce(store: Store, channels: RunningBackends, ids: string[]) {
  const abandoned = (owner: string) =>
    `FAILED (attempt 1 abandoned: the lease of ${owner} expired before its outcome was recorded)`;
  const outcomes = { clean: 0, redelivered: 0 };
  for (const id of ids) {
    const events = await channelEvents(store.db, id);
    const rows = await channelRows(store.db, id);
    for (const channel of CHANNELS) {
      const redelivered = events[channel]!.length === 5;
      outcomes[redelivered ? 'redelivered' : 'clean']++;
      assert.deepEqual(
        events[channel],
        redelivered
          ? [PENDING, 'SENT', abandoned('survivor'), 'SENT', 'ACKNOWLEDGED']
          : [PENDING, 'SENT', 'ACKNOWLEDGED'],
      );
      const received = inbox(channels, channel.toLowerCase() as 'pos').filter(
        (m) => m.key === keyOf(id, channel),
      );
      const ref = received[0]?.ref;
      assert.ok(received.length >= 1 && received.length <= (redelivered ? 2 : 1));
      assert.deepEqual(
        received,
        received.map((_, i) => ({
          key: keyOf(id, channel),
          status: 200,
          ref,
          ...(i > 0 ? { duplicate: true } : {}),
          signatureValid: true,
        })),
      );
      assert.deepEqual(rows[channel], {
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        attempts: redelivered ? 2 : 1,
        lastError: null,
        publishedVersion: 2,
        channelRef: ref,
        leaseOwner: null,
      });
    }
    assert.deepEqual(await auditByChannel(store, id), {
      '': ['createPromotionDraft: ', `publishToChannels: channels: ${CHANNELS.join(', ')}`],
      ECOMMERCE: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
      POS: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
    });
  }
  return outcomes;
}

describe('PostgreSQL connections lost mid-run', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let channels: RunningBackends;
  let store: Store;
  const extra: SqlDatabase[] = [];

  before(async () => {
    schema = await createTestSchema();
    channels = await startChannels();
    store = await openStore(schema.open(), new OffsetClock().now);
  });
  beforeEach(() => channels.state.reset());
  after(async () => {
    await store?.closeDispatchers();
    await Promise.all(extra.map((db) => db.close().catch(() => undefined)));
    await channels?.close();
    await schema?.drop();
  });

  test('the dispatcher sessions are terminated (pg_terminate_backend) after sends', async (t) => {
    const appName = `delivery_${randomBytes(5).toString('hex')}`;
    const db = createPgDatabase({
      connectionString: `${PG_URL}?application_name=${appName}`,
      schema: schema.schema,
      max: 4,
    });
    extra.push(db);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    let terminated = 0;
    const sink = errorSink();
    try {
      store.dispatcher({
        db,
        owner: 'survivor',
        leaseMs: 1000,
        publisher: afterSend(webhookPublisher(channels), async (n) => {
          if (n % 3 !== 1) return;
          const { rows } = await admin.query(
            `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = $1 AND pid <> pg_backend_pid()) t`,
            [appName],
          );
          terminated += rows[0].n as number;
        }),
        onError: sink.onError,
      });
      const ids = await Promise.all(Array.from({ length: 8 }, () => store.publish(CHANNELS)));
      await settled(store);
      await store.closeDispatchers();
      const outcomes = await assertDeliveredOnce(store, channels, ids);
      t.diagnostic(
        `sessions terminated: ${terminated}; reported errors: ${sink.errors.length}; ${JSON.stringify(outcomes)}`,
      );
      assert.ok(terminated > 0);
    } finally {
      await admin.end();
    }
  });

  test('the database is unreachable for a while (proxy down) and comes back', async (t) => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const url = new URL(PG_URL);
    url.port = String(proxy.port);
    const db = createPgDatabase({
      connectionString: url.toString(),
      schema: schema.schema,
      max: 4,
    });
    extra.push(db);
    let down = false;
    const errors: unknown[] = [];
    store.dispatcher({
      db,
      owner: 'survivor',
      leaseMs: 1000,
      publisher: afterSend(webhookPublisher(channels), async (n) => {
        if (n !== 3) return;
        down = true;
        await proxy.stop();
      }),
      onError: (error) => {
        errors.push(error);
        // Back once the outage failed for about a second (passes retry every 50 ms).
        if (down && errors.length === 20) void proxy.start();
      },
    });
    const ids = await Promise.all(Array.from({ length: 8 }, () => store.publish(CHANNELS)));
    await settled(store);
    await store.closeDispatchers();
    const outcomes = await assertDeliveredOnce(store, channels, ids);
    t.diagnostic(`reported errors: ${errors.length}; ${JSON.stringify(outcomes)}`);
    assert.ok(down && errors.length >= 20);
    await proxy.stop();
  });
});
