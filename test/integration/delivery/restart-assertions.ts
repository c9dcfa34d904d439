import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import type { ChannelName } from '../../../backends/channels/channel-state.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { inbox } from './delivery-fixtures.ts';
import {
  auditOf,
  busCursors,
  channelEventsOf,
  CHANNELS,
  OWNER,
  READ,
  type RestartApp,
} from './restart-fixtures.ts';

/** What the restart test asserts after recovery, on the API, the database and the emulator. */

/** create v1, submit v2, approve v3, publishToChannels v4. */
export const V = 4;
const PENDING = `PENDING (channels: ${CHANNELS.join(', ')})`;
const keyOf = (id: string, channel: string) => `${id}:v${V}:LIVE:${channel}`;

/**
 * Each published promotion: every channel ACKNOWLEDGED (API), its status events, its audit
 * trail, and the channel's received-message log (the key acknowledged; a second copy only as a
 * redelivery of the same key, answered as a duplicate with the same ref).
 */
export async function assertDelivered(app: RestartApp, backends: RunningBackends, ids: string[]) {
  const outcomes = { clean: 0, redelivered: 0 };
  for (const id of ids) {
    const { promotion } = await app.ok<{ promotion: { channels: { channelRef: string }[] } }>(
      READ,
      { id },
    );
    const refs = promotion.channels.map((c) => c.channelRef);
    assert.deepEqual(promotion, {
      state: 'SCHEDULED',
      version: V,
      channels: CHANNELS.map((channel, i) => ({
        channel,
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: V,
        lastError: null,
        channelRef: refs[i],
      })),
      publicationSummary: {
        total: 3,
        acknowledged: 3,
        pending: 0,
        failed: 0,
        deadLettered: 0,
        isFullyPublished: true,
      },
    });
    assert.deepEqual(await auditOf(app.storage, id), {
      '': [
        'createPromotionDraft ->DRAFT',
        'submitPromotion DRAFT>PENDING_APPROVAL',
        'approvePromotion PENDING_APPROVAL>APPROVED',
        `publishToChannels APPROVED>SCHEDULED: channels: ${CHANNELS.join(', ')}`,
      ],
      ...Object.fromEntries(
        CHANNELS.map((c) => [c, [`channelDelivery ->-: LIVE v${V} ACKNOWLEDGED`]]),
      ),
    });
    const events = await channelEventsOf(app.storage, id);
    for (const [i, channel] of CHANNELS.entries()) {
      // An attempt whose outcome could not be stored is abandoned when its lease expires and
      // sent again with the same key.
      const redelivered = events[channel]!.length === 5;
      outcomes[redelivered ? 'redelivered' : 'clean']++;
      const abandoned = `FAILED (attempt 1 abandoned: the lease of ${OWNER} expired before its outcome was recorded)`;
      assert.deepEqual(
        events[channel],
        redelivered
          ? [PENDING, 'SENT', abandoned, 'SENT', 'ACKNOWLEDGED']
          : [PENDING, 'SENT', 'ACKNOWLEDGED'],
      );
      const key = keyOf(id, channel);
      const received = inbox(backends, channel.toLowerCase() as ChannelName).filter(
        (m) => m.key === key,
      );
      assert.ok(received.length >= 1 && received.length <= (redelivered ? 2 : 1));
      assert.deepEqual(
        received,
        received.map((_, n) => ({
          key,
          status: 200,
          ref: refs[i],
          ...(n > 0 ? { duplicate: true } : {}),
          signatureValid: true,
        })),
      );
    }
  }
  // Nothing else reached the channels.
  for (const channel of CHANNELS) {
    const keys = inbox(backends, channel.toLowerCase() as ChannelName).map((m) => m.key);
    assert.deepEqual([...new Set(keys)].sort(), ids.map((id) => keyOf(id, channel)).sort());
  }
  return outcomes;
}

/** Outbox cursors 1..N without a gap, all relayed, each appended to the bus once, in order. */
export async function assertEventsOnce(app: RestartApp): Promise<number> {
  const { rows } = await app.storage.db.query<{
    cursor: string;
    published: boolean;
    event: PromotionBusEvent;
  }>(
    `SELECT cursor::text, published_at IS NOT NULL AS published, event
       FROM outbox ORDER BY outbox.cursor`,
  );
  const n = rows.length;
  const oneToN = Array.from({ length: n }, (_, i) => i + 1);
  assert.deepEqual(
    rows.map((r) => Number(r.cursor)),
    oneToN,
  );
  assert.ok(rows.every((r) => r.published && Number(r.event.cursor) === Number(r.cursor)));
  assert.equal(new Set(rows.map((r) => r.event.eventId)).size, n);
  assert.deepEqual(app.bus.appended.map(Number), oneToN);
  assert.deepEqual(await busCursors(app.bus, n), oneToN);
  assert.equal(Number(app.bus.latestCursor()), n);
  return n;
}
