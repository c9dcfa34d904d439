import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunningBackends } from '../../../backends/server.ts';
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
  outboxShape,
  SECRET,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from './delivery-fixtures.ts';

const pgSkip = await pgSkipReason();
const { POS, LOYALTY } = SalesChannel;
const CHILD = fileURLToPath(new URL('./dispatcher-child.ts', import.meta.url));

/** Starts dispatcher-child.ts; resolves with its first `count` stdout lines, then SIGKILLs it. */
async function killAfterSends(schema: string, channels: RunningBackends, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      DELIVERY_PG_URL: PG_URL,
      DELIVERY_SCHEMA: schema,
      DELIVERY_CHANNELS_URL: `${channels.url}/channels`,
      DELIVERY_SECRET: SECRET,
      DELIVERY_OWNER: 'child-1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines: unknown[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(JSON.parse(line));
    if (lines.length === count) break;
  }
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  return { lines, code, signal };
}

describe(
  'a dispatcher process killed between send and acknowledgement (PostgreSQL)',
  { skip: pgSkip },
  () => {
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
    after(async () => {
      await store?.closeDispatchers();
      await channels?.close();
      await schema?.drop();
    });

    test('another instance takes over once the lease expired; the channel sees the same key again', async () => {
      channels.state.channels.setMode('loyalty', 'ack-twice');
      const id = await store.publish([POS, LOYALTY]);

      const killed = await killAfterSends(schema.schema, channels, 2);
      assert.deepEqual(
        { code: killed.code, signal: killed.signal, lines: killed.lines.length },
        { code: null, signal: 'SIGKILL', lines: 2 },
      );
      // What the channels answered the child before it died.
      const answered = (channel: SalesChannel, ref: string) => ({
        channel,
        key: keyOf(id, channel),
        outcome: { kind: 'acknowledged', ack: 'ACCEPTED', channelRef: ref },
      });
      assert.deepEqual(
        [...killed.lines].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        [answered(LOYALTY, 'LOYALTY-000001'), answered(POS, 'POS-000001')],
      );
      const sent = {
        intent: 'LIVE',
        status: 'SENT',
        attempts: 1,
        lastError: null,
        publishedVersion: null,
        channelRef: null,
        leaseOwner: 'child-1',
      };
      assert.deepEqual(await channelRows(store.db, id), {
        LOYALTY: sent,
        POS: sent,
      });

      // The child's lease (60 s) is over for the survivor; it sends both again.
      clock.advance(61_000);
      store.dispatcher({
        publisher: webhookPublisher(channels),
        owner: 'survivor',
        onError: sink.onError,
      });
      await settled(store);

      const acked = (ref: string) => ({
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        attempts: 2,
        lastError: null,
        publishedVersion: 2,
        channelRef: ref,
        leaseOwner: null,
      });
      assert.deepEqual(await channelRows(store.db, id), {
        LOYALTY: acked('LOYALTY-000002'),
        POS: acked('POS-000001'),
      });
      const abandoned =
        'FAILED (attempt 1 abandoned: the lease of child-1 expired before its outcome was recorded)';
      const sequence = [
        'PENDING (channels: POS, LOYALTY)',
        'SENT',
        abandoned,
        'SENT',
        'ACKNOWLEDGED',
      ];
      assert.deepEqual(await channelEvents(store.db, id), { POS: sequence, LOYALTY: sequence });
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
      // ack-twice: the channel acknowledges the redelivery with a fresh ref; it is stored once.
      assert.deepEqual(inbox(channels, 'loyalty'), [
        { key: keyOf(id, LOYALTY), status: 200, ref: 'LOYALTY-000001', signatureValid: true },
        { key: keyOf(id, LOYALTY), status: 200, ref: 'LOYALTY-000002', signatureValid: true },
      ]);
      assert.deepEqual(await auditByChannel(store, id), {
        '': ['createPromotionDraft: ', 'publishToChannels: channels: POS, LOYALTY'],
        POS: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
        LOYALTY: ['channelDelivery: LIVE v2 ACKNOWLEDGED'],
      });
      assert.deepEqual(await outboxShape(store.db, id), {
        count: 12,
        distinctEventIds: 12,
        cursorsMatch: true,
      });
      assert.deepEqual(sink.errors, []);
    });
  },
);
