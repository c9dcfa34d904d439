import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREATE,
  createHarness,
  draftInput,
  firstError,
  PROMOTION_FIELDS,
  type Harness,
} from './promotion-harness.ts';

type Result = {
  promotion: {
    id: string;
    version: number;
    state: string;
    channels: {
      channel: string;
      intent: string;
      status: string;
      publishedVersion: number | null;
      channelRef: string | null;
    }[];
    publicationSummary: Record<string, unknown>;
  };
  eventCursor: string;
  idempotentReplay: boolean;
};

const RESULT = `{ promotion { ${PROMOTION_FIELDS} } eventCursor idempotentReplay }`;

describe('promotion lifecycle through the schema', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  test('create → submit → approve → publish → suspend one → suspend all → resume → end', async () => {
    const created = (
      await h.run<{ createPromotionDraft: Result }>(CREATE, { input: draftInput() }, 'alice')
    ).createPromotionDraft;
    const id = created.promotion.id;
    assert.match(id, /^prm_[0-9a-f]{20}$/);
    assert.deepEqual(
      { ...created, promotion: { ...created.promotion, id: 'ID' } },
      {
        promotion: {
          id: 'ID',
          version: 1,
          state: 'DRAFT',
          name: 'Spring coffee week',
          channels: [],
          publicationSummary: {
            total: 0,
            acknowledged: 0,
            pending: 0,
            failed: 0,
            deadLettered: 0,
            isFullyPublished: false,
          },
        },
        eventCursor: '000000000000000001',
        idempotentReplay: false,
      },
    );

    const submitted = (
      await h.run<{ submitPromotion: Result }>(
        `mutation { submitPromotion(id: "${id}", expectedVersion: 1) ${RESULT} }`,
        {},
        'alice',
      )
    ).submitPromotion;
    assert.deepEqual(
      [submitted.promotion.state, submitted.promotion.version],
      ['PENDING_APPROVAL', 2],
    );

    const approved = (
      await h.run<{ approvePromotion: Result }>(
        `mutation { approvePromotion(id: "${id}", expectedVersion: 2) ${RESULT} }`,
        {},
        'bob',
      )
    ).approvePromotion;
    assert.deepEqual([approved.promotion.state, approved.promotion.version], ['APPROVED', 3]);

    // Publishing returns once the publications are recorded; delivery is asynchronous.
    const published = (
      await h.run<{ publishToChannels: Result }>(
        `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, POS], expectedVersion: 3) ${RESULT} }`,
        {},
        'carol',
      )
    ).publishToChannels;
    assert.equal(published.promotion.state, 'SCHEDULED');
    assert.equal(published.promotion.version, 4);
    assert.deepEqual(
      published.promotion.channels.map((c) => [c.channel, c.intent, c.status]),
      [
        ['ECOMMERCE', 'LIVE', 'PENDING'],
        ['POS', 'LIVE', 'PENDING'],
      ],
    );
    await h.app.dispatcher.whenIdle();
    const afterDelivery = await h.run<{ promotion: Result['promotion'] }>(
      `{ promotion(id: "${id}") { ${PROMOTION_FIELDS} } }`,
    );
    assert.deepEqual(afterDelivery.promotion.channels, [
      {
        channel: 'ECOMMERCE',
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: 4,
        attempts: 1,
        lastError: null,
        channelRef: 'ECOMMERCE-1',
      },
      {
        channel: 'POS',
        intent: 'LIVE',
        status: 'ACKNOWLEDGED',
        publishedVersion: 4,
        attempts: 1,
        lastError: null,
        channelRef: 'POS-2',
      },
    ]);
    assert.deepEqual(afterDelivery.promotion.publicationSummary, {
      total: 2,
      acknowledged: 2,
      pending: 0,
      failed: 0,
      deadLettered: 0,
      isFullyPublished: true,
    });
    const keys = h.publisher.deliveries.map((d) => d.idempotencyKey);
    assert.deepEqual(keys, [`${id}:v4:LIVE:ECOMMERCE`, `${id}:v4:LIVE:POS`]);

    h.clock.set('2026-03-12T00:00:00Z');
    const suspendedOne = (
      await h.run<{ suspendPromotion: Result }>(
        `mutation { suspendPromotion(promotionId: "${id}", reason: {code: STOCK_OUT, note: "POS shelves empty"}, channels: [POS]) ${RESULT} }`,
      )
    ).suspendPromotion;
    // The clock caught up first (SCHEDULED → ACTIVE, no version bump), then POS was suspended.
    assert.equal(suspendedOne.promotion.state, 'ACTIVE');
    assert.equal(suspendedOne.promotion.version, 5);
    await h.app.dispatcher.whenIdle();

    const suspendedAll = (
      await h.run<{ suspendPromotion: Result }>(
        `mutation { suspendPromotion(promotionId: "${id}", reason: {code: COMPLIANCE}) ${RESULT} }`,
      )
    ).suspendPromotion;
    assert.equal(suspendedAll.promotion.state, 'SUSPENDED');
    assert.equal(suspendedAll.promotion.version, 6);
    await h.app.dispatcher.whenIdle();

    const resumed = (
      await h.run<{ resumePromotion: Result }>(
        `mutation { resumePromotion(promotionId: "${id}") ${RESULT} }`,
      )
    ).resumePromotion;
    assert.equal(resumed.promotion.state, 'ACTIVE');
    assert.equal(resumed.promotion.version, 7);
    // ALL_OR_NONE inside the window: both channels are sent the resume held (they store it as
    // SUSPENDED), and released together once both acknowledged (activation/).
    await h.app.dispatcher.whenIdle();
    const staged = await h.run<{ promotion: { liveChannels: string[]; channels: unknown[] } }>(
      `{ promotion(id: "${id}") { liveChannels channels { channel held acknowledgedIntent status } } }`,
    );
    assert.deepEqual(staged.promotion, {
      liveChannels: [],
      channels: [
        {
          channel: 'ECOMMERCE',
          held: true,
          acknowledgedIntent: 'SUSPENDED',
          status: 'ACKNOWLEDGED',
        },
        { channel: 'POS', held: true, acknowledgedIntent: 'SUSPENDED', status: 'ACKNOWLEDGED' },
      ],
    });
    assert.deepEqual(await h.settle(), ['release']);
    const released = await h.run<{ promotion: { version: number; liveChannels: string[] } }>(
      `{ promotion(id: "${id}") { version liveChannels } }`,
    );
    assert.deepEqual(released.promotion, { version: 8, liveChannels: ['ECOMMERCE', 'POS'] });

    const ended = (
      await h.run<{ endPromotion: Result }>(
        `mutation { endPromotion(promotionId: "${id}", reason: "sold out") ${RESULT} }`,
      )
    ).endPromotion;
    assert.equal(ended.promotion.state, 'ENDED');
    assert.equal(ended.promotion.version, 9);
    await h.app.dispatcher.whenIdle();

    assert.deepEqual(
      h.publisher.deliveries.map((d) => d.idempotencyKey.slice(id.length + 1)),
      [
        'v4:LIVE:ECOMMERCE',
        'v4:LIVE:POS',
        'v5:SUSPENDED:POS',
        'v6:SUSPENDED:ECOMMERCE',
        'v7:SUSPENDED:ECOMMERCE',
        'v7:SUSPENDED:POS',
        'v8:LIVE:ECOMMERCE',
        'v8:LIVE:POS',
        'v9:WITHDRAWN:ECOMMERCE',
        'v9:WITHDRAWN:POS',
      ],
    );

    const audit = await h.run<{
      promotion: {
        window: { endsAt: string };
        audit: { edges: { node: Record<string, unknown> }[] };
      };
    }>(
      `{ promotion(id: "${id}") { window { endsAt } audit { edges { node { action actor { subject kind } fromState toState reason version channel } } } } }`,
    );
    assert.equal(audit.promotion.window.endsAt, '2026-03-12T00:00:00.000Z');
    const entries = audit.promotion.audit.edges.map((e) => e.node);
    const lifecycle = entries.filter((e) => e.action !== 'channelDelivery');
    assert.deepEqual(lifecycle, [
      {
        action: 'createPromotionDraft',
        actor: { subject: 'alice', kind: 'USER' },
        fromState: null,
        toState: 'DRAFT',
        reason: null,
        version: 1,
        channel: null,
      },
      {
        action: 'submitPromotion',
        actor: { subject: 'alice', kind: 'USER' },
        fromState: 'DRAFT',
        toState: 'PENDING_APPROVAL',
        reason: null,
        version: 2,
        channel: null,
      },
      {
        action: 'approvePromotion',
        actor: { subject: 'bob', kind: 'USER' },
        fromState: 'PENDING_APPROVAL',
        toState: 'APPROVED',
        reason: null,
        version: 3,
        channel: null,
      },
      {
        action: 'publishToChannels',
        actor: { subject: 'carol', kind: 'USER' },
        fromState: 'APPROVED',
        toState: 'SCHEDULED',
        reason: 'channels: ECOMMERCE, POS',
        version: 4,
        channel: null,
      },
      {
        action: 'scheduler',
        actor: { subject: 'scheduler', kind: 'SCHEDULER' },
        fromState: 'SCHEDULED',
        toState: 'ACTIVE',
        reason: 'window started',
        version: 4,
        channel: null,
      },
      {
        action: 'suspendPromotion',
        actor: { subject: 'anonymous', kind: 'USER' },
        fromState: 'ACTIVE',
        toState: 'ACTIVE',
        reason: 'STOCK_OUT: POS shelves empty',
        version: 5,
        channel: null,
      },
      {
        action: 'suspendPromotion',
        actor: { subject: 'anonymous', kind: 'USER' },
        fromState: 'ACTIVE',
        toState: 'SUSPENDED',
        reason: 'COMPLIANCE',
        version: 6,
        channel: null,
      },
      {
        action: 'resumePromotion',
        actor: { subject: 'anonymous', kind: 'USER' },
        fromState: 'SUSPENDED',
        toState: 'ACTIVE',
        reason: 'channels: ECOMMERCE, POS',
        version: 7,
        channel: null,
      },
      {
        action: 'activationReleased',
        actor: { subject: 'activation-monitor', kind: 'SYSTEM' },
        fromState: 'ACTIVE',
        toState: 'ACTIVE',
        reason: 'every channel acknowledged; released ECOMMERCE, POS',
        version: 8,
        channel: null,
      },
      {
        action: 'endPromotion',
        actor: { subject: 'anonymous', kind: 'USER' },
        fromState: 'ACTIVE',
        toState: 'ENDED',
        reason: 'sold out',
        version: 9,
        channel: null,
      },
    ]);
    assert.deepEqual(
      entries.filter((e) => e.action === 'channelDelivery').map((e) => `${e.channel} ${e.reason}`),
      [
        'ECOMMERCE LIVE v4 ACKNOWLEDGED',
        'POS LIVE v4 ACKNOWLEDGED',
        'POS SUSPENDED v5 ACKNOWLEDGED',
        'ECOMMERCE SUSPENDED v6 ACKNOWLEDGED',
        'ECOMMERCE LIVE (held) v7 ACKNOWLEDGED',
        'POS LIVE (held) v7 ACKNOWLEDGED',
        'ECOMMERCE LIVE v8 ACKNOWLEDGED',
        'POS LIVE v8 ACKNOWLEDGED',
        'ECOMMERCE WITHDRAWN v9 ACKNOWLEDGED',
        'POS WITHDRAWN v9 ACKNOWLEDGED',
      ],
    );

    // Every version was kept.
    const v3 = await h.app.repository.getVersion(id, 3);
    assert.equal(v3?.state, 'APPROVED');
  });

  test('reject, then edit back to draft; withdraw; cancel', async () => {
    const { createPromotionDraft } = await h.run<{ createPromotionDraft: Result }>(CREATE, {
      input: draftInput(),
    });
    const id = createPromotionDraft.promotion.id;
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
    const rejected = await h.run<{ rejectPromotion: Result }>(
      `mutation { rejectPromotion(id: "${id}", expectedVersion: 2, reason: "margin too thin") ${RESULT} }`,
    );
    assert.equal(rejected.rejectPromotion.promotion.state, 'REJECTED');
    const edited = await h.run<{ updatePromotionDraft: Result }>(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 3, input: {name: "Coffee week"}) ${RESULT} }`,
    );
    assert.deepEqual(
      [edited.updatePromotionDraft.promotion.state, edited.updatePromotionDraft.promotion.version],
      ['DRAFT', 4],
    );
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 4) { eventCursor } }`);
    const withdrawn = await h.run<{ withdrawPromotion: Result }>(
      `mutation { withdrawPromotion(id: "${id}", expectedVersion: 5) ${RESULT} }`,
    );
    assert.equal(withdrawn.withdrawPromotion.promotion.state, 'DRAFT');
    const cancelled = await h.run<{ cancelPromotion: Result }>(
      `mutation { cancelPromotion(promotionId: "${id}", reason: "not needed") ${RESULT} }`,
    );
    assert.deepEqual(
      [cancelled.cancelPromotion.promotion.state, cancelled.cancelPromotion.promotion.version],
      ['CANCELLED', 7],
    );
    const again = await h.exec(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 7) { eventCursor } }`,
    );
    assert.deepEqual(firstError(again), {
      message:
        'Cannot submit a promotion in state CANCELLED; allowed from here: retryChannelDelivery',
      extensions: {
        code: 'INVALID_STATE_TRANSITION',
        currentState: 'CANCELLED',
        allowedTransitions: ['retryChannelDelivery'],
      },
    });
  });

  test('a material edit of a SCHEDULED promotion goes back to DRAFT and withdraws the channels', async () => {
    const { createPromotionDraft } = await h.run<{ createPromotionDraft: Result }>(CREATE, {
      input: draftInput({
        window: {
          startsAt: '2026-04-10T00:00:00Z',
          endsAt: '2026-04-20T00:00:00Z',
          timeZone: 'UTC',
        },
      }),
    });
    const id = createPromotionDraft.promotion.id;
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
    await h.run(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
    await h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE]) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();

    const textOnly = await h.run<{ updatePromotionDraft: Result }>(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 4, input: {customerDisplayName: "Coffee -10%"}) ${RESULT} }`,
    );
    assert.deepEqual(
      [
        textOnly.updatePromotionDraft.promotion.state,
        textOnly.updatePromotionDraft.promotion.version,
      ],
      ['SCHEDULED', 5],
    );
    await h.app.dispatcher.whenIdle();

    const material = await h.run<{ updatePromotionDraft: Result }>(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 5, input: {offer: {kind: PERCENT_OFF, percentOff: "15"}}) ${RESULT} }`,
    );
    assert.deepEqual(
      [
        material.updatePromotionDraft.promotion.state,
        material.updatePromotionDraft.promotion.version,
      ],
      ['DRAFT', 6],
    );
    await h.app.dispatcher.whenIdle();
    const mine = h.publisher.deliveries.filter((d) => d.payload.promotionId === id);
    assert.deepEqual(
      mine.map((d) => [d.payload.version, d.payload.intent, d.payload.customerDisplayName]),
      [
        [4, 'LIVE', '10% off coffee'],
        [5, 'LIVE', 'Coffee -10%'],
        [6, 'WITHDRAWN', 'Coffee -10%'],
      ],
    );
    const audit = await h.run<{
      promotion: { audit: { edges: { node: { action: string; reason: string | null } }[] } };
    }>(`{ promotion(id: "${id}") { audit(first: 100) { edges { node { action reason } } } } }`);
    assert.deepEqual(
      audit.promotion.audit.edges
        .map((e) => e.node)
        .filter((n) => n.action === 'updatePromotionDraft'),
      [
        { action: 'updatePromotionDraft', reason: 'change: customerDisplayName' },
        { action: 'updatePromotionDraft', reason: 'material change: offer' },
      ],
    );
  });

  test('a material edit of an ACTIVE promotion is refused; a future end shortens the window', async () => {
    h.clock.set('2026-03-01T00:00:00Z');
    const { createPromotionDraft } = await h.run<{ createPromotionDraft: Result }>(CREATE, {
      input: draftInput({
        window: {
          startsAt: '2026-03-01T00:00:00Z',
          endsAt: '2026-03-31T00:00:00Z',
          timeZone: 'UTC',
        },
      }),
    });
    const id = createPromotionDraft.promotion.id;
    await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
    await h.run(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
    const published = await h.run<{ publishToChannels: Result }>(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS]) ${RESULT} }`,
    );
    assert.equal(published.publishToChannels.promotion.state, 'ACTIVE');
    const refused = await h.exec(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 4, input: {scope: {skus: ["SKU000003"]}}) { eventCursor } }`,
    );
    assert.equal(firstError(refused).extensions.code, 'INVALID_STATE_TRANSITION');
    assert.match(
      firstError(refused).message,
      /^Cannot make a material edit to a promotion in state ACTIVE;/,
    );

    const past = await h.exec(
      `mutation { endPromotion(promotionId: "${id}", reason: "r", at: "2026-02-28T00:00:00Z") { eventCursor } }`,
    );
    assert.deepEqual(firstError(past), {
      message: 'Invalid promotion input (1 problem)',
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'at', message: 'must not be in the past' }],
      },
    });
    const scheduledEnd = await h.run<{
      endPromotion: Result & { promotion: { window: { endsAt: string } } };
    }>(
      `mutation { endPromotion(promotionId: "${id}", reason: "budget", at: "2026-03-05T00:00:00Z") { promotion { state version window { endsAt } } } }`,
    );
    assert.deepEqual(scheduledEnd.endPromotion.promotion, {
      state: 'ACTIVE',
      version: 5,
      window: { endsAt: '2026-03-05T00:00:00.000Z' },
    });
    h.clock.set('2026-03-05T00:00:00Z');
    assert.equal(await h.app.scheduler.advanceByClock(), 1);
    const ended = await h.run<{ promotion: { state: string; version: number } }>(
      `{ promotion(id: "${id}") { state version } }`,
    );
    assert.deepEqual(ended.promotion, { state: 'ENDED', version: 5 });
    await h.app.dispatcher.whenIdle();
  });

  test('missing promotion: null on read, NOT_FOUND on write', async () => {
    const read = await h.run<{ promotion: null }>(`{ promotion(id: "prm_missing") { id } }`);
    assert.deepEqual(read, { promotion: null });
    const write = await h.exec(
      `mutation { submitPromotion(id: "prm_missing", expectedVersion: 1) { eventCursor } }`,
    );
    assert.deepEqual(firstError(write), {
      message: 'Promotion prm_missing not found',
      extensions: { code: 'NOT_FOUND', kind: 'Promotion', id: 'prm_missing' },
    });
  });
});
