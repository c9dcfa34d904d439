import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { createPromotionContext } from '../../../subgraphs/promotion/graph/context.ts';
import {
  CREATE,
  createHarness,
  draftInput,
  principalOf,
  type Harness,
} from './promotion-harness.ts';

const SUBSCRIPTION = parse(`subscription ($filter: PromotionEventFilter, $after: String) {
  promotionStateChanged(filter: $filter, after: $after) {
    cursor kind fromState toState channel channelIntent channelStatus promotionVersion reason
    actor { subject kind }
    promotion { id state }
  }
}`);

type Event = {
  cursor: string;
  kind: string;
  fromState: string | null;
  toState: string | null;
  channel: string | null;
  channelStatus: string | null;
  promotionVersion: number;
  promotion: { id: string; state: string };
};

async function open(h: Harness, variables: Record<string, unknown> = {}) {
  const result = await subscribe({
    schema: h.schema,
    document: SUBSCRIPTION,
    variableValues: variables,
    contextValue: createPromotionContext(h.app, principalOf()),
  });
  if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
  const iterator = result as AsyncGenerator<ExecutionResult<{ promotionStateChanged: Event }>>;
  return {
    async take(n: number): Promise<Event[]> {
      const events: Event[] = [];
      while (events.length < n) {
        const next = await iterator.next();
        if (next.done) break;
        assert.equal(next.value.errors, undefined);
        events.push(JSON.parse(JSON.stringify(next.value.data!.promotionStateChanged)) as Event);
      }
      return events;
    },
    close: () => iterator.return?.(undefined),
  };
}

describe('promotionStateChanged subscription', () => {
  let h: Harness;
  let id: string;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  test('live events arrive in cursor order', async () => {
    const sub = await open(h);
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput(),
    });
    id = created.createPromotionDraft.promotion.id;
    await h.run(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
      {},
      'alice',
    );
    await h.run(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
    await h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS]) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();
    const events = await sub.take(7);
    await sub.close();
    assert.deepEqual(
      events.map((e) => [
        e.cursor,
        e.kind,
        e.fromState,
        e.toState,
        e.channel,
        e.channelStatus,
        e.promotionVersion,
      ]),
      [
        ['000000000000000001', 'STATE_CHANGED', null, 'DRAFT', null, null, 1],
        ['000000000000000002', 'STATE_CHANGED', 'DRAFT', 'PENDING_APPROVAL', null, null, 2],
        ['000000000000000003', 'STATE_CHANGED', 'PENDING_APPROVAL', 'APPROVED', null, null, 3],
        ['000000000000000004', 'STATE_CHANGED', 'APPROVED', 'SCHEDULED', null, null, 4],
        ['000000000000000005', 'CHANNEL_STATUS_CHANGED', null, null, 'POS', 'PENDING', 4],
        ['000000000000000006', 'CHANNEL_STATUS_CHANGED', null, null, 'POS', 'SENT', 4],
        ['000000000000000007', 'CHANNEL_STATUS_CHANGED', null, null, 'POS', 'ACKNOWLEDGED', 4],
      ],
    );
    assert.deepEqual(events[1]!.promotion, { id, state: 'SCHEDULED' });
  });

  test('`after` replays retained events with a greater cursor, then live ones, without duplicates', async () => {
    const sub = await open(h, { after: '000000000000000004' });
    const replayed = await sub.take(3);
    assert.deepEqual(
      replayed.map((e) => e.cursor),
      ['000000000000000005', '000000000000000006', '000000000000000007'],
    );
    h.clock.set('2026-03-12T00:00:00Z');
    await h.run(
      `mutation { suspendPromotion(promotionId: "${id}", reason: {code: STOCK_OUT}) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();
    const live = await sub.take(5);
    await sub.close();
    assert.deepEqual(
      live.map((e) => [e.cursor, e.kind, e.fromState, e.toState, e.channelStatus]),
      [
        ['000000000000000008', 'STATE_CHANGED', 'SCHEDULED', 'ACTIVE', null],
        ['000000000000000009', 'STATE_CHANGED', 'ACTIVE', 'SUSPENDED', null],
        ['000000000000000010', 'CHANNEL_STATUS_CHANGED', null, null, 'PENDING'],
        ['000000000000000011', 'CHANNEL_STATUS_CHANGED', null, null, 'SENT'],
        ['000000000000000012', 'CHANNEL_STATUS_CHANGED', null, null, 'ACKNOWLEDGED'],
      ],
    );
    // An unpadded cursor works too.
    const short = await open(h, { after: '11' });
    assert.deepEqual(
      (await short.take(1)).map((e) => e.cursor),
      ['000000000000000012'],
    );
    await short.close();
  });

  test('filters by kind, state, channel, promotion and vendor', async () => {
    const kinds = await open(h, {
      after: '0',
      filter: { kinds: ['STATE_CHANGED'], states: ['SUSPENDED', 'APPROVED'] },
    });
    assert.deepEqual(
      (await kinds.take(2)).map((e) => e.cursor),
      ['000000000000000003', '000000000000000009'],
    );
    await kinds.close();
    const channel = await open(h, {
      after: '0',
      filter: { channels: ['POS'], kinds: ['CHANNEL_STATUS_CHANGED'], promotionIds: [id] },
    });
    assert.deepEqual(
      (await channel.take(2)).map((e) => e.cursor),
      ['000000000000000005', '000000000000000006'],
    );
    await channel.close();
    const vendor = await open(h, { filter: { vendorId: 'V100001' } });
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput({ vendorId: 'V100001', fundingAgreementId: 'CC1' }),
    });
    const [event] = await vendor.take(1);
    await vendor.close();
    assert.equal(event!.promotion.id, created.createPromotionDraft.promotion.id);
  });

  test('a bad `after` is BAD_USER_INPUT', async () => {
    const result = (await subscribe({
      schema: h.schema,
      document: SUBSCRIPTION,
      variableValues: { after: 'yesterday' },
      contextValue: createPromotionContext(h.app, principalOf()),
    })) as ExecutionResult;
    assert.deepEqual(
      result.errors?.map((e) => ({ message: e.message, extensions: e.extensions })),
      [
        {
          message: 'after is not a valid event cursor',
          extensions: {
            code: 'BAD_USER_INPUT',
            problems: [{ field: 'after', message: 'is not a valid event cursor' }],
          },
        },
      ],
    );
  });
});
