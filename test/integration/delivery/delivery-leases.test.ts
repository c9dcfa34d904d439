import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
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
  type Store,
} from './delivery-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const pgSkip = await pgSkipReason();
const { POS } = SalesChannel;

describe('leases and superseded deliveries (PostgreSQL)', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let channels: RunningBackends;
  let store: Store;
  const clock = new OffsetClock();
  const sink = errorSink();

  before(async () => {
    schema = await createTestSchema();
    channels = await startChannels();
    store = await openStore(schema.open(), clock.now);
  });
  beforeEach(() => channels.state.reset());
  after(async () => {
    await store?.closeDispatchers();
    await channels?.close();
    await schema?.drop();
  });

  test('a newer intent is delivered at once; the stalled older outcome is dropped', async () => {
    const gate = gated(webhookPublisher(channels));
    const dispatcher = store.dispatcher({ publisher: gate.publisher, onError: sink.onError });
    const id = await store.publish([POS]);
    await gate.answered; // LIVE v2 reached the channel; its outcome is not stored yet
    await store.suspend(id, [POS]);
    await channels.state.channels.waitForReceived('pos', 2);
    gate.release();
    await dispatcher.whenIdle();
    await store.closeDispatchers();

    assert.deepEqual(await channelRows(store.db, id), {
      POS: {
        intent: 'SUSPENDED',
        status: 'ACKNOWLEDGED',
        attempts: 1,
        lastError: null,
        publishedVersion: 3,
        channelRef: 'POS-000002',
        leaseOwner: null,
      },
    });
    assert.deepEqual(await channelEvents(store.db, id), {
      POS: ['PENDING (channels: POS)', 'SENT', 'PENDING (STOCK_OUT)', 'SENT', 'ACKNOWLEDGED'],
    });
    const { rows } = await store.db.query(
      `SELECT event->>'channelIntent' AS intent, event->>'channelStatus' AS status FROM outbox
        WHERE promotion_id = $1 AND event->>'kind' = 'CHANNEL_STATUS_CHANGED' ORDER BY cursor`,
      [id],
    );
    assert.deepEqual(
      rows.map((r) => `${r.intent} ${r.status}`),
      [
        'LIVE PENDING',
        'LIVE SENT',
        'SUSPENDED PENDING',
        'SUSPENDED SENT',
        'SUSPENDED ACKNOWLEDGED',
      ],
    );
    assert.deepEqual(inbox(channels, 'pos'), [
      { key: keyOf(id, POS), status: 200, ref: 'POS-000001', signatureValid: true },
      {
        key: `${id}:v3:SUSPENDED:POS`,
        status: 200,
        ref: 'POS-000002',
        signatureValid: true,
      },
    ]);
    assert.deepEqual(await auditByChannel(store, id), {
      '': [
        'createPromotionDraft: ',
        'publishToChannels: channels: POS',
        'suspendPromotion: STOCK_OUT',
      ],
      POS: ['channelDelivery: SUSPENDED v3 ACKNOWLEDGED'],
    });
    assert.deepEqual(sink.errors, []);
  });

  test('an abandoned last attempt dead-letters; the operator retry sends the same key', async () => {
    const gate = gated(webhookPublisher(channels));
    const stale = store.dispatcher({
      publisher: gate.publisher,
      owner: 'stale',
      policy: testDeliveryPolicy({ maxAttempts: 1 }),
      onError: sink.onError,
    });
    const id = await store.publish([POS]);
    await gate.answered;
    clock.advance(6000); // past the 5 s lease
    const survivor = store.dispatcher({
      publisher: webhookPublisher(channels),
      owner: 'survivor',
      policy: testDeliveryPolicy({ maxAttempts: 1 }),
      onError: sink.onError,
    });
    await survivor.whenIdle();
    gate.release();
    await stale.close();

    const abandoned =
      'attempt 1 abandoned: the lease of stale expired before its outcome was recorded';
    assert.deepEqual(await channelRows(store.db, id), {
      POS: {
        intent: 'LIVE',
        status: 'DEAD_LETTERED',
        attempts: 1,
        lastError: abandoned,
        publishedVersion: null,
        channelRef: null,
        leaseOwner: null,
      },
    });
    await store.retry(id, POS);
    await survivor.whenIdle();
    await store.closeDispatchers();
    assert.deepEqual((await channelRows(store.db, id)).POS, {
      intent: 'LIVE',
      status: 'ACKNOWLEDGED',
      attempts: 1,
      lastError: null,
      publishedVersion: 2,
      channelRef: 'POS-000001',
      leaseOwner: null,
    });
    assert.deepEqual(await channelEvents(store.db, id), {
      POS: [
        'PENDING (channels: POS)',
        'SENT',
        `DEAD_LETTERED (${abandoned})`,
        `PENDING (${abandoned})`,
        'SENT',
        'ACKNOWLEDGED',
      ],
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
    assert.deepEqual(await auditByChannel(store, id), {
      '': ['createPromotionDraft: ', 'publishToChannels: channels: POS'],
      POS: [
        `channelDelivery: LIVE v2 DEAD_LETTERED: ${abandoned}`,
        `retryChannelDelivery: ${abandoned}`,
        'channelDelivery: LIVE v2 ACKNOWLEDGED',
      ],
    });
    assert.deepEqual(sink.errors, []);
  });
});
