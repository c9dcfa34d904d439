import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningBackends } from '../../../backends/server.ts';
import { createPgliteDatabase } from '../../../subgraphs/promotion/storage/pglite-database.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import {
  auditByChannel,
  channelEvents,
  channelRows,
  errorSink,
  gated,
  inbox,
  keyOf,
  OffsetClock,
  openStore,
  startChannels,
  webhookPublisher,
} from './delivery-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const { POS } = SalesChannel;
const acknowledged = (attempts: number, ref: string) => ({
  intent: 'LIVE',
  status: 'ACKNOWLEDGED',
  attempts,
  lastError: null,
  publishedVersion: 2,
  channelRef: ref,
  leaseOwner: null,
});

describe('durable dispatcher on PGlite (the embedded path)', () => {
  let channels: RunningBackends;
  const sink = errorSink();

  before(async () => {
    channels = await startChannels();
  });
  beforeEach(() => channels.state.reset());
  after(() => channels?.close());

  test('a stalled dispatcher loses its lease; its late acknowledgement is not stored again', async () => {
    const clock = new OffsetClock();
    const store = await openStore(await createPgliteDatabase(), clock.now);
    try {
      const gate = gated(webhookPublisher(channels));
      const stale = store.dispatcher({
        publisher: gate.publisher,
        owner: 'stale',
        onError: sink.onError,
      });
      const id = await store.publish([POS]);
      assert.deepEqual(await gate.answered, {
        kind: 'acknowledged',
        ack: 'ACCEPTED',
        channelRef: 'POS-000001',
      });

      clock.advance(6000); // past the 5 s lease
      const survivor = store.dispatcher({
        publisher: webhookPublisher(channels),
        owner: 'survivor',
        onError: sink.onError,
      });
      await survivor.whenIdle();
      gate.release();
      await stale.close();
      await survivor.close();

      assert.deepEqual(await channelRows(store.db, id), { POS: acknowledged(2, 'POS-000001') });
      assert.deepEqual(await channelEvents(store.db, id), {
        POS: [
          'PENDING (channels: POS)',
          'SENT',
          'FAILED (attempt 1 abandoned: the lease of stale expired before its outcome was recorded)',
          'SENT',
          'ACKNOWLEDGED',
        ],
      });
      assert.deepEqual(await auditByChannel(store, id), {
        '': ['createPromotionDraft: ', 'publishToChannels: channels: POS'],
        POS: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
      });
      assert.deepEqual(inbox(channels, 'pos'), [
        { key: keyOf(id, POS), status: 200, ref: 'POS-000001', signatureValid: true },
        {
          key: keyOf(id, POS),
          status: 200,
          ref: 'POS-000001',
          duplicate: true,
          signatureValid: true,
        },
      ]);
      assert.deepEqual(sink.errors, []);
    } finally {
      await store.closeDispatchers();
      await store.db.close();
    }
  });

  test('a retry scheduled before a restart is delivered by the next run (data directory)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'delivery-pglite-'));
    const clock = new OffsetClock();
    try {
      channels.state.channels.setMode('pos', 'error');
      const first = await openStore(await createPgliteDatabase({ dataDir }), clock.now);
      first.dispatcher({
        publisher: webhookPublisher(channels),
        policy: testDeliveryPolicy({ maxAttempts: 3, initialDelayMs: 60_000, maxDelayMs: 60_000 }),
        onError: sink.onError,
      });
      const id = await first.publish([POS]);
      await channels.state.channels.waitForReceived('pos', 1);
      await first.closeDispatchers(); // the attempt in flight stores FAILED first
      const failed = await channelRows(first.db, id);
      await first.db.close();
      const http500 = 'HTTP 500: {"error":"INTERNAL","message":"pos back-end failure (emulated)"}';
      assert.deepEqual(failed, {
        POS: {
          intent: 'LIVE',
          status: 'FAILED',
          attempts: 1,
          lastError: http500,
          publishedVersion: null,
          channelRef: null,
          leaseOwner: null,
        },
      });

      channels.state.channels.setMode('pos', 'accept');
      clock.advance(61_000); // the stored next_attempt_at has come
      const second = await openStore(await createPgliteDatabase({ dataDir }), clock.now);
      try {
        const dispatcher = second.dispatcher({
          publisher: webhookPublisher(channels),
          onError: sink.onError,
        });
        await dispatcher.whenIdle();
        assert.deepEqual(await channelRows(second.db, id), { POS: acknowledged(2, 'POS-000001') });
        assert.deepEqual(await channelEvents(second.db, id), {
          POS: ['PENDING (channels: POS)', 'SENT', `FAILED (${http500})`, 'SENT', 'ACKNOWLEDGED'],
        });
        assert.deepEqual(await auditByChannel(second, id), {
          '': ['createPromotionDraft: ', 'publishToChannels: channels: POS'],
          POS: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
        });
        assert.deepEqual(
          inbox(channels, 'pos').map((m) => m.status),
          [500, 200],
        );
        assert.deepEqual(sink.errors, []);
      } finally {
        await second.closeDispatchers();
        await second.db.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
