import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CREATE,
  createApproved,
  createHarness,
  draftInput,
  type Harness,
} from '../../unit/promotion/promotion-harness.ts';
import { createTestSchema, PG_START, pgSkipReason } from './storage-fixtures.ts';

type Outcome = {
  data?: Record<string, { promotion: { id: string; version: number }; idempotentReplay: boolean }>;
  errors?: unknown[];
};

/**
 * Two promotion app instances (as two processes would be: separate in-process locks) on one
 * PostgreSQL schema receive the same mutation with the same idempotency key at the same time:
 * exactly one does it, the other replays its result. Proven for each idempotent mutation.
 */
const skip = await pgSkipReason();
if (skip && process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI: ${skip}`);

describe(
  'idempotent mutations sent twice concurrently, to two instances on one database',
  { skip: skip ? `${skip} (start it: ${PG_START})` : false },
  () => {
    let schema: Awaited<ReturnType<typeof createTestSchema>>;
    let a: Harness;
    let b: Harness;

    before(async () => {
      schema = await createTestSchema();
      // Each instance migrates the schema on start (the second finds nothing to do).
      const instance = async () => createHarness({ database: schema.open(4) });
      a = await instance();
      b = await instance();
      for (const h of [a, b]) h.clock.set('2026-03-12T00:00:00Z');
    });
    after(async () => {
      await Promise.all([a?.app.dispatcher.whenIdle(), b?.app.dispatcher.whenIdle()]);
      await a?.close();
      await b?.close();
      await schema?.drop();
    });

    async function twice(source: string, variables: Record<string, unknown> = {}) {
      const [x, y] = (await Promise.all([
        a.exec(source, variables),
        b.exec(source, variables),
      ])) as Outcome[];
      assert.equal(x!.errors, undefined, JSON.stringify(x!.errors));
      assert.equal(y!.errors, undefined, JSON.stringify(y!.errors));
      const [first, second] = [Object.values(x!.data!)[0]!, Object.values(y!.data!)[0]!];
      assert.deepEqual(
        [first.idempotentReplay, second.idempotentReplay].sort(),
        [false, true],
        'one did it, the other replayed it',
      );
      assert.deepEqual(first.promotion, second.promotion);
      return first.promotion;
    }

    test('createPromotionDraft: one promotion', async () => {
      const input = draftInput({ idempotencyKey: 'create-twice', name: 'Twice' });
      const promotion = await twice(CREATE.replace('promotion {', 'idempotentReplay promotion {'), {
        input,
      });
      const list = await a.run<{ promotions: { edges: { node: { id: string } }[] } }>(
        '{ promotions(first: 100, filter: { text: "Twice" }) { edges { node { id } } } }',
      );
      assert.deepEqual(
        list.promotions.edges.map((e) => e.node.id),
        [promotion.id],
      );
    });

    test('publishToChannels and suspendPromotion: one change each', async () => {
      const { id } = await createApproved(a, {
        name: 'Publish twice',
        window: {
          startsAt: '2026-03-10T00:00:00Z',
          endsAt: '2026-03-31T00:00:00Z',
          timeZone: 'UTC',
        },
      });
      const published = await twice(
        `mutation { publishToChannels(promotionId: "${id}", channels: [POS], idempotencyKey: "pub-twice") { promotion { id version } idempotentReplay } }`,
      );
      assert.equal(published.version, 4);
      await a.app.dispatcher.whenIdle();
      await b.app.dispatcher.whenIdle();
      const suspended = await twice(
        `mutation { suspendPromotion(promotionId: "${id}", reason: { code: OPERATIONAL }, idempotencyKey: "sus-twice") { promotion { id version } idempotentReplay } }`,
      );
      const now = await a.run<{ promotion: { version: number; state: string } }>(
        `{ promotion(id: "${id}") { version state } }`,
      );
      assert.deepEqual(now.promotion, { version: suspended.version, state: 'SUSPENDED' });
    });
  },
);
