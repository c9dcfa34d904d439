import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryEventBus } from '../../../subgraphs/promotion/in-memory-event-bus.ts';
import type { PromotionRepository } from '../../../subgraphs/promotion/promotion.repository.ts';
import { runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { OutboxRelay } from '../../../subgraphs/promotion/storage/outbox-relay.ts';
import { createPgliteDatabase } from '../../../subgraphs/promotion/storage/pglite-database.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import {
  CREATE,
  createHarness,
  draftInput,
  PROMOTION_FIELDS,
  type Harness,
} from '../../unit/promotion/promotion-harness.ts';

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
  const publish = `mutation { publishToChannels(promotionId: "${id}", channels: [ECOMMERCE, POS], idempotencyKey: "pub-1") { eventCursor idempotentReplay promotion { version } } }`;
  await exec(publish);
  await exec(publish);
  await h.app.dispatcher.whenIdle();
  await exec(`{ promotion(id: "${id}") { ${FULL} } }`);
  await exec(`{ promotions(first: 5) { edges { node { id state version } } } }`);
  return out;
}

async function runOn(repository: PromotionRepository, bus: InMemoryEventBus): Promise<unknown[]> {
  let n = 0;
  const h = await createHarness({ repository, eventBus: bus, newId: () => `prm_${++n}` });
  try {
    return await scenario(h);
  } finally {
    h.close();
  }
}

describe('the promotion app on the PostgreSQL repository (PGlite)', () => {
  test('answers exactly like the in-memory repository, and the relay fills the bus', async () => {
    const memoryBus = new InMemoryEventBus();
    const expected = await runOn(undefined as unknown as PromotionRepository, memoryBus);
    const db = await createPgliteDatabase();
    const bus = new InMemoryEventBus();
    const relay = new OutboxRelay({ db, bus, pollIntervalMs: 0 });
    try {
      await runMigrations(db);
      const repository = new PostgresPromotionRepository(db, { onEvents: () => relay.wake() });
      const actual = await runOn(repository, bus);
      assert.deepEqual(actual, expected);
      await relay.drain();
      const strip = (events: unknown[]) =>
        events.map((e) => ({ ...(e as Record<string, unknown>), eventId: 'E' }));
      const all = (b: InMemoryEventBus) => {
        const events: unknown[] = [];
        const stream = b.stream();
        const latest = b.latestCursor();
        return (async () => {
          for (let last = ''; last !== latest;) {
            const { value } = await stream.next();
            events.push(value);
            last = (value as { cursor: string }).cursor;
          }
          await stream.return?.();
          return events;
        })();
      };
      assert.deepEqual(strip(await all(bus)), strip(await all(memoryBus)));
    } finally {
      await relay.close();
      await db.close();
    }
  });
});
