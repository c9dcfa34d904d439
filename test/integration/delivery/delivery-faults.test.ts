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
  inbox,
  keyOf,
  OffsetClock,
  openStore,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from './delivery-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const pgSkip = await pgSkipReason();
const { ECOMMERCE, MOBILE, POS, MARKETPLACE, LOYALTY } = SalesChannel;

describe('durable dispatcher against faulty channels (PostgreSQL)', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let channels: RunningBackends;
  let store: Store;
  const sink = errorSink();

  before(async () => {
    schema = await createTestSchema();
    channels = await startChannels();
    store = await openStore(schema.open(), new OffsetClock().now);
    store.dispatcher({
      publisher: webhookPublisher(channels),
      policy: testDeliveryPolicy({
        maxAttempts: 3,
        initialDelayMs: 5,
        maxDelayMs: 20,
        requestTimeoutMs: 150,
      }),
      onError: sink.onError,
    });
  });
  beforeEach(() => channels.state.reset());
  after(async () => {
    await store?.closeDispatchers();
    await channels?.close();
    await schema?.drop();
  });

  test('down, 500 and 422 dead-letter, 409 acknowledges; the operator retry delivers', async () => {
    const modes = { mobile: 'error', pos: 'down', marketplace: 'reject', loyalty: 'duplicate' };
    for (const [channel, mode] of Object.entries(modes)) {
      channels.state.channels.setMode(channel as 'pos', mode as 'down');
    }
    const id = await store.publish([ECOMMERCE, MOBILE, POS, MARKETPLACE, LOYALTY]);
    await settled(store);

    const http500 = 'HTTP 500: {"error":"INTERNAL","message":"mobile back-end failure (emulated)"}';
    const http422 =
      'HTTP 422: {"ack":"REJECTED","error":"UNPROCESSABLE","message":"marketplace rejected the publication (emulated, permanent)"}';
    const down = 'connection failed (UND_ERR_SOCKET)';
    const row = (
      status: string,
      attempts: number,
      lastError: string | null,
      ref: string | null,
    ) => ({
      intent: 'LIVE',
      status,
      attempts,
      lastError,
      publishedVersion: status === 'ACKNOWLEDGED' ? 2 : null,
      channelRef: ref,
      leaseOwner: null,
    });
    assert.deepEqual(await channelRows(store.db, id), {
      ECOMMERCE: row('ACKNOWLEDGED', 1, null, 'ECOMMERCE-000001'),
      LOYALTY: row('ACKNOWLEDGED', 1, null, 'LOYALTY-000001'),
      MARKETPLACE: row('DEAD_LETTERED', 1, http422, null),
      MOBILE: row('DEAD_LETTERED', 3, http500, null),
      POS: row('DEAD_LETTERED', 3, down, null),
    });
    const pending = `PENDING (channels: ECOMMERCE, MOBILE, POS, MARKETPLACE, LOYALTY)`;
    assert.deepEqual(await channelEvents(store.db, id), {
      ECOMMERCE: [pending, 'SENT', 'ACKNOWLEDGED'],
      MOBILE: [
        pending,
        'SENT',
        `FAILED (${http500})`,
        'SENT',
        `FAILED (${http500})`,
        'SENT',
        `DEAD_LETTERED (${http500})`,
      ],
      POS: [
        pending,
        'SENT',
        `FAILED (${down})`,
        'SENT',
        `FAILED (${down})`,
        'SENT',
        `DEAD_LETTERED (${down})`,
      ],
      MARKETPLACE: [pending, 'SENT', `DEAD_LETTERED (${http422})`],
      LOYALTY: [pending, 'SENT', 'ACKNOWLEDGED'],
    });
    const key = (c: SalesChannel) => keyOf(id, c);
    assert.deepEqual(inbox(channels, 'mobile'), [
      { key: key(MOBILE), status: 500, signatureValid: true },
      { key: key(MOBILE), status: 500, signatureValid: true },
      { key: key(MOBILE), status: 500, signatureValid: true },
    ]);
    assert.deepEqual(inbox(channels, 'pos'), [
      { key: key(POS), status: 0, signatureValid: true },
      { key: key(POS), status: 0, signatureValid: true },
      { key: key(POS), status: 0, signatureValid: true },
    ]);
    assert.deepEqual(inbox(channels, 'loyalty'), [
      { key: key(LOYALTY), status: 409, ref: 'LOYALTY-000001', signatureValid: true },
    ]);

    // The channels recover; the operator re-queues the two dead letters that were not permanent.
    channels.state.channels.setMode('mobile', 'accept');
    channels.state.channels.setMode('pos', 'accept');
    await store.retry(id, MOBILE);
    await store.retry(id, POS);
    await settled(store);
    const rows = await channelRows(store.db, id);
    assert.deepEqual(
      [rows.MOBILE, rows.POS],
      [row('ACKNOWLEDGED', 1, null, 'MOBILE-000001'), row('ACKNOWLEDGED', 1, null, 'POS-000001')],
    );
    const events = await channelEvents(store.db, id);
    assert.deepEqual(events.MOBILE!.slice(7), [`PENDING (${http500})`, 'SENT', 'ACKNOWLEDGED']);
    assert.deepEqual(events.POS!.slice(7), [`PENDING (${down})`, 'SENT', 'ACKNOWLEDGED']);
    assert.deepEqual(inbox(channels, 'pos').slice(3), [
      { key: key(POS), status: 200, ref: 'POS-000001', signatureValid: true },
    ]);
    assert.deepEqual(await auditByChannel(store, id), {
      '': [
        'createPromotionDraft: ',
        'publishToChannels: channels: ECOMMERCE, MOBILE, POS, MARKETPLACE, LOYALTY',
      ],
      ECOMMERCE: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
      MARKETPLACE: [`channelDelivery: LIVE v2 DEAD_LETTERED: ${http422}`],
      LOYALTY: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
      MOBILE: [
        `channelDelivery: LIVE v2 DEAD_LETTERED: ${http500}`,
        `retryChannelDelivery: ${http500}`,
        'channelDelivery: LIVE v2 ACKNOWLEDGED',
      ],
      POS: [
        `channelDelivery: LIVE v2 DEAD_LETTERED: ${down}`,
        `retryChannelDelivery: ${down}`,
        'channelDelivery: LIVE v2 ACKNOWLEDGED',
      ],
    });
    assert.deepEqual(sink.errors, []);
  });

  test('a slow answer (client timeout) and two 500s are retried with backoff until acknowledged', async () => {
    channels.state.faults.add({ match: 'channels/pos', latencyMs: 400, times: 1 });
    channels.state.faults.add({ match: 'channels/mobile', status: 500, times: 2 });
    const id = await store.publish([POS, MOBILE]);
    await settled(store);
    // The timed-out request is still processed by the channel once its delay is over.
    await channels.state.channels.waitForReceived('pos', 2);

    assert.deepEqual(await channelRows(store.db, id), {
      MOBILE: {
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        attempts: 3,
        lastError: null,
        publishedVersion: 2,
        channelRef: 'MOBILE-000001',
        leaseOwner: null,
      },
      POS: {
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        attempts: 2,
        lastError: null,
        publishedVersion: 2,
        channelRef: 'POS-000001',
        leaseOwner: null,
      },
    });
    const fault500 =
      'HTTP 500: {"error":"FAULT","message":"Injected fault: HTTP 500 on channels/mobile"}';
    assert.deepEqual(await channelEvents(store.db, id), {
      POS: [
        'PENDING (channels: POS, MOBILE)',
        'SENT',
        'FAILED (timed out after 150 ms)',
        'SENT',
        'ACKNOWLEDGED',
      ],
      MOBILE: [
        'PENDING (channels: POS, MOBILE)',
        'SENT',
        `FAILED (${fault500})`,
        'SENT',
        `FAILED (${fault500})`,
        'SENT',
        'ACKNOWLEDGED',
      ],
    });
    // Both POS requests carry one key and get one ref; whichever the channel finished second is
    // its duplicate.
    const pos = inbox(channels, 'pos');
    assert.deepEqual(
      pos.map(({ duplicate: _d, ...rest }) => rest),
      [0, 1].map(() => ({
        key: keyOf(id, POS),
        status: 200,
        ref: 'POS-000001',
        signatureValid: true,
      })),
    );
    assert.deepEqual(pos.map((m) => m.duplicate === true).sort(), [false, true]);
    assert.deepEqual(inbox(channels, 'mobile'), [
      { key: keyOf(id, MOBILE), status: 200, ref: 'MOBILE-000001', signatureValid: true },
    ]);
    assert.equal(channels.state.counters.calls('channels/mobile'), 3);
    assert.deepEqual(await auditByChannel(store, id), {
      '': ['createPromotionDraft: ', 'publishToChannels: channels: POS, MOBILE'],
      POS: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
      MOBILE: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
    });
    assert.deepEqual(sink.errors, []);
  });
});
