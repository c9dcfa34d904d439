import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { createApproved, createHarness, firstError, type Harness } from './promotion-harness.ts';

/**
 * ALL_OR_NONE activation (subgraphs/promotion/activation/) through the schema: no channel and
 * not our own eligibility shows a promotion live unless every targeted channel acknowledged;
 * a channel that cannot be reached holds the promotion with a reason; it goes live everywhere
 * once the last channel acknowledges. PER_CHANNEL goes live channel by channel.
 */

const STATUS = `{ version liveChannels activationMode
  activationHold { since reason awaitingChannels }
  channels { channel intent held acknowledgedIntent status } }`;

type Status = {
  version: number;
  liveChannels: string[];
  activationMode: string;
  activationHold: { since: string; reason: string; awaitingChannels: string[] } | null;
  channels: {
    channel: string;
    intent: string;
    held: boolean;
    acknowledgedIntent: string | null;
    status: string;
  }[];
};

const ELIGIBLE = `query ($ch: SalesChannel!) {
  eligiblePromotions(channel: $ch, storeId: "S001", skus: ["SKU000001"]) {
    offers { promotionId } notApplied { promotionId reason }
  }
}`;

const down = (n: number) =>
  Array.from({ length: n }, () => ({ kind: 'retryable' as const, error: 'HTTP 503 from POS' }));

describe('ALL_OR_NONE activation', () => {
  let h: Harness;

  beforeEach(async () => {
    // holdAfter 0: the frozen test clock never lets 30 s pass; maxAttempts 5 (the test policy).
    h = await createHarness({
      delivery: { policy: testDeliveryPolicy({}, {}, { holdAfterMs: 0 }) },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const status = async (id: string) =>
    (await h.run<{ promotion: Status }>(`{ promotion(id: "${id}") ${STATUS} }`)).promotion;
  const offersIn = async (channel: string) =>
    (
      await h.run<{ eligiblePromotions: { offers: { promotionId: string }[] }[] }>(ELIGIBLE, {
        ch: channel,
      })
    ).eligiblePromotions[0]!.offers.map((o) => o.promotionId);
  const sentTo = (id: string, channel: SalesChannel) =>
    h.publisher.deliveries
      .filter((d) => d.channel === channel && d.payload.promotionId === id)
      .map((d) => `v${d.payload.version as number}:${d.payload.intent as string}`);
  const publish = (id: string) =>
    h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, POS]) { eventCursor } }`,
    );

  test('inside the window: POS down holds every channel; POS back releases them together', async () => {
    const { id } = await createApproved(h);
    h.clock.set('2026-03-12T00:00:00Z');
    h.publisher.script(SalesChannel.POS, ...down(5));
    await publish(id);

    // Both channels were sent the promotion held (stored as SUSPENDED); POS dead-lettered.
    assert.deepEqual(await h.settle(), ['hold']);
    const held = await status(id);
    assert.deepEqual(held.liveChannels, []);
    assert.deepEqual(held.activationHold, {
      since: '2026-03-12T00:00:00.000Z',
      reason: 'POS dead-lettered: HTTP 503 from POS',
      awaitingChannels: ['POS'],
    });
    assert.deepEqual(
      held.channels.map((c) => [c.channel, c.held, c.acknowledgedIntent, c.status]),
      [
        ['ECOMMERCE', true, 'SUSPENDED', 'ACKNOWLEDGED'],
        ['POS', true, null, 'DEAD_LETTERED'],
      ],
    );
    // Neither our eligibility nor any channel back-end shows it live.
    assert.deepEqual(await offersIn('ECOMMERCE'), []);
    assert.deepEqual(await offersIn('POS'), []);
    assert.deepEqual(sentTo(id, SalesChannel.ECOMMERCE), ['v4:SUSPENDED']);

    // POS answers again: its delivery is retried, every channel released, live everywhere.
    await h.run(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: POS) { eventCursor } }`,
    );
    assert.deepEqual(await h.settle(), ['release', 'live']);
    const live = await status(id);
    assert.deepEqual(live.liveChannels, ['ECOMMERCE', 'POS']);
    assert.equal(live.activationHold, null);
    assert.deepEqual(await offersIn('ECOMMERCE'), [id]);
    assert.deepEqual(await offersIn('POS'), [id]);
    assert.deepEqual(sentTo(id, SalesChannel.ECOMMERCE), ['v4:SUSPENDED', 'v6:LIVE']);
    assert.deepEqual(sentTo(id, SalesChannel.POS).slice(-2), ['v4:SUSPENDED', 'v6:LIVE']);

    const audit = await h.run<{
      promotion: {
        audit: { edges: { node: { action: string; version: number; reason: string } }[] };
      };
    }>(
      `{ promotion(id: "${id}") { audit(first: 100) { edges { node { action version reason } } } } }`,
    );
    assert.deepEqual(
      audit.promotion.audit.edges
        .map((e) => e.node)
        .filter((n) => n.action.startsWith('activation'))
        .map((n) => `${n.action} v${n.version}`),
      ['activationHeld v5', 'activationReleased v6', 'activationLive v7'],
    );
  });

  test('published days ahead: LIVE at once; a channel still failing at the lead holds the others back', async () => {
    const { id } = await createApproved(h);
    h.publisher.script(SalesChannel.POS, ...down(5));
    await publish(id);
    // Nine days before the start: ECOMMERCE gets LIVE straight away (nothing shows before the
    // window); POS fails, so the promotion is marked held, nothing is compensated yet.
    assert.deepEqual(await h.settle(), ['hold']);
    assert.deepEqual(sentTo(id, SalesChannel.ECOMMERCE), ['v4:LIVE']);
    const early = await status(id);
    assert.deepEqual(early.activationHold?.awaitingChannels, ['POS']);
    assert.deepEqual(
      early.channels.map((c) => [c.channel, c.held, c.acknowledgedIntent]),
      [
        ['ECOMMERCE', false, 'LIVE'],
        ['POS', false, null],
      ],
    );

    // Four minutes before the start (lead 5 min): ECOMMERCE is told SUSPENDED, POS gets a fresh
    // held delivery, which it now acknowledges; then both are released.
    h.clock.set('2026-03-09T23:56:00Z');
    assert.deepEqual(await h.settle(), ['hold', 'release', 'live']);
    assert.deepEqual(sentTo(id, SalesChannel.ECOMMERCE), ['v4:LIVE', 'v6:SUSPENDED', 'v7:LIVE']);
    assert.deepEqual(sentTo(id, SalesChannel.POS).slice(-2), ['v6:SUSPENDED', 'v7:LIVE']);
    h.clock.set('2026-03-10T00:00:01Z');
    const started = await status(id);
    assert.deepEqual(started.liveChannels, ['ECOMMERCE', 'POS']);
    assert.equal(started.activationHold, null);
  });

  test('suspend and resume of one channel: the promotion is live in the rest, resumed together', async () => {
    const { id } = await createApproved(h);
    await publish(id);
    assert.deepEqual(await h.settle(), []);
    h.clock.set('2026-03-12T00:00:00Z');
    assert.deepEqual((await status(id)).liveChannels, ['ECOMMERCE', 'POS']);
    await h.run(
      `mutation { suspendPromotion(promotionId: "${id}", reason: {code: STOCK_OUT}, channels: [POS]) { eventCursor } }`,
    );
    await h.settle();
    assert.deepEqual((await status(id)).liveChannels, ['ECOMMERCE']);
    // POS down while it is resumed: ECOMMERCE is held back too, nothing is live in a subset.
    h.publisher.script(SalesChannel.POS, ...down(5));
    await h.run(`mutation { resumePromotion(promotionId: "${id}") { eventCursor } }`);
    assert.deepEqual(await h.settle(), ['hold']);
    const held = await status(id);
    assert.deepEqual(held.liveChannels, []);
    assert.deepEqual(await offersIn('ECOMMERCE'), []);
    assert.deepEqual(sentTo(id, SalesChannel.ECOMMERCE).at(-1), 'v7:SUSPENDED');
    await h.run(
      `mutation { retryChannelDelivery(promotionId: "${id}", channel: POS) { eventCursor } }`,
    );
    assert.deepEqual(await h.settle(), ['release', 'live']);
    assert.deepEqual((await status(id)).liveChannels, ['ECOMMERCE', 'POS']);
  });
});

describe('PER_CHANNEL activation', () => {
  test('each channel is live on its own acknowledgement; no hold', async () => {
    const h = await createHarness({
      delivery: { policy: testDeliveryPolicy({}, {}, { holdAfterMs: 0 }) },
    });
    try {
      const { id } = await createApproved(h, { activationMode: 'PER_CHANNEL' });
      h.clock.set('2026-03-12T00:00:00Z');
      h.publisher.script(SalesChannel.POS, ...down(5));
      await h.run(
        `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, POS]) { eventCursor } }`,
      );
      assert.deepEqual(await h.settle(), []);
      const { promotion } = await h.run<{ promotion: Status }>(
        `{ promotion(id: "${id}") ${STATUS} }`,
      );
      assert.equal(promotion.activationMode, 'PER_CHANNEL');
      assert.deepEqual(promotion.liveChannels, ['ECOMMERCE']);
      assert.equal(promotion.activationHold, null);
      assert.deepEqual(
        h.publisher.deliveries.map((d) => `${d.channel}:${d.payload.intent as string}`).slice(0, 2),
        ['ECOMMERCE:LIVE', 'POS:LIVE'],
      );
    } finally {
      await h.close();
    }
  });

  test('the mode is a material change: refused on an ACTIVE promotion', async () => {
    const h = await createHarness();
    try {
      const { id } = await createApproved(h);
      await h.run(
        `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE]) { eventCursor } }`,
      );
      await h.settle();
      h.clock.set('2026-03-12T00:00:00Z');
      const result = await h.exec(
        `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 4, input: { activationMode: PER_CHANNEL }) { promotion { version } } }`,
      );
      assert.equal(firstError(result).extensions.code, 'INVALID_STATE_TRANSITION');
    } finally {
      await h.close();
    }
  });
});
