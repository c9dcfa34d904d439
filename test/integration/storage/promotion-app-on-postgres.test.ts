import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBus } from '../../../subgraphs/promotion/events/event-bus.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import {
  CREATE,
  createHarness,
  draftInput,
  PROMOTION_FIELDS,
  type Harness,
} from '../../unit/promotion/promotion-harness.ts';
import { createTestSchema, PG_START, pgSkipReason } from './storage-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

const FULL = `${PROMOTION_FIELDS}
  audit(first: 50) { edges { cursor node { action fromState toState version channel reason } } pageInfo { hasNextPage endCursor } }`;

/** A lifecycle through the GraphQL API; returns every response in order. */
async function scenario(h: Harness): Promise<unknown[]> {
  const out: unknown[] = [];
  const exec = async (source: string, variables?: Record<string, unknown>) => {
    const result = await h.exec(source, variables);
    out.push(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : result.data);
    return result.data as Record<string, { promotion: { id: string } }>;
  };
  const input = draftInput({ idempotencyKey: 'create-1' });
  const created = await exec(CREATE, { input });
  await exec(CREATE, { input });
  await exec(CREATE, { input: { ...input, name: 'Other' } });
  const id = created.createPromotionDraft!.promotion.id;
  await exec(
    `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "A"}) { eventCursor } }`,
  );
  await exec(
    `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "B"}) { eventCursor } }`,
  );
  await exec(`mutation { submitPromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
  await exec(`mutation { approvePromotion(id: "${id}", expectedVersion: 3) { eventCursor } }`);
  const publish = `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE], idempotencyKey: "pub-1") { eventCursor idempotentReplay promotion { version } } }`;
  await exec(publish);
  await exec(publish);
  await h.app.dispatcher.whenIdle();
  await exec(`{ promotion(id: "${id}") { ${FULL} } }`);
  await exec(`{ promotions(first: 5) { edges { node { id state version } } } }`);
  return out;
}

async function runOn(database?: SqlDatabase): Promise<{ answers: unknown[]; events: unknown[] }> {
  let n = 0;
  const h = await createHarness({
    ...(database ? { database } : {}),
    newId: () => `prm_${++n}`,
    // One channel (each channel is its own lane, so two would interleave their events in either
    // order) and one delivery at a time: both stores see the same order of events and audit.
    delivery: { policy: testDeliveryPolicy({ concurrency: 1 }) },
  });
  try {
    const answers = await scenario(h);
    await h.subgraph.storage.relay.drain();
    return { answers, events: await everyEvent(h.app.eventBus) };
  } finally {
    await h.close();
  }
}

/**
 * Every event on the bus, event ids blanked (they are random), as are the times of delivery
 * status changes (deliveries run on real time, the harness clock stands still).
 */
async function everyEvent(bus: EventBus): Promise<unknown[]> {
  const events: unknown[] = [];
  const stream = bus.stream();
  const latest = bus.latestCursor();
  for (let last = ''; last !== latest;) {
    const { value } = await stream.next();
    const delivery = value.kind === 'CHANNEL_STATUS_CHANGED';
    events.push({ ...value, eventId: 'E', ...(delivery ? { occurredAt: 'T' } : {}) });
    last = value.cursor;
  }
  await stream.return?.();
  return events;
}

const skip = await pgSkipReason();

describe(
  'the promotion app on embedded PGlite and on a PostgreSQL server',
  { skip: skip ? `${skip} (start it: ${PG_START})` : false },
  () => {
    test('answers exactly alike, and the outbox relay fills the bus with the same events', async () => {
      const embedded = await runOn();
      const schema = await createTestSchema();
      try {
        const server = await runOn(schema.open());
        assert.deepEqual(server.answers, embedded.answers);
        assert.deepEqual(server.events, embedded.events);
        assert.equal(embedded.events.length, 8);
      } finally {
        await schema.drop();
      }
    });
  },
);
