import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PublishedIndex } from '../../../subgraphs/promotion/eligibility/published-index.ts';
import { PromotionState } from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type { PromotionRecord } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { createPgliteDatabase } from '../../../subgraphs/promotion/storage/pglite-database.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import {
  buildRecord,
  createChange,
  createTestSchema,
  nextChange,
  pgSkipReason,
} from './storage-fixtures.ts';

const { SCHEDULED, ACTIVE, SUSPENDED, ENDED } = PromotionState;

type Subject = { db: SqlDatabase; close(): Promise<void> };

/**
 * The in-memory index eligibility reads (eligibility/published-index.ts), on both databases:
 * loaded at start, this instance's commits read at once, another instance's commits seen by the
 * outbox poll, and never trusted when it cannot catch up.
 */
function publishedIndexSuite(name: string, open: () => Promise<Subject>, skip: string | false) {
  describe(`published index: ${name}`, { skip }, () => {
    let subject: Subject;
    let mine: PostgresPromotionRepository;
    /** Another instance on the same database: its commits reach the index only by the poll. */
    let theirs: PostgresPromotionRepository;
    const indexes: PublishedIndex[] = [];
    before(async () => {
      subject = await open();
      await runMigrations(subject.db);
      mine = new PostgresPromotionRepository(subject.db);
      theirs = new PostgresPromotionRepository(subject.db);
    });
    after(async () => {
      for (const index of indexes) index.stop();
      await subject?.close();
    });

    async function indexOf(options: Partial<ConstructorParameters<typeof PublishedIndex>[0]>) {
      const index = new PublishedIndex({ repository: mine, pollMs: 0, ...options });
      indexes.push(index);
      mine.onEvents = () => index.notify();
      await index.start();
      return index;
    }
    const ids = async (index: PublishedIndex, sku: string) =>
      (await index.findPublishedBySkus([sku])).get(sku)!.map((p) => p.id);
    async function seed(
      repo: PostgresPromotionRepository,
      record: PromotionRecord,
      ...states: PromotionState[]
    ) {
      let current = (await repo.commit(createChange(record))).record;
      for (const state of states)
        current = (await repo.commit(nextChange(current, { state }))).record;
      return current;
    }
    const scoped = (id: string, sku: string, excluded: string[] = []) => {
      const base = buildRecord(id);
      return buildRecord(id, { scope: { ...base.scope, skus: [sku], excludedSkus: excluded } });
    };

    test('starts with every published promotion, by scope and exclusion, oldest first', async () => {
      await seed(mine, scoped('pi-a', 'PI-1'), SCHEDULED);
      await seed(mine, scoped('pi-b', 'PI-2', ['PI-1']), SCHEDULED, ACTIVE, SUSPENDED);
      await seed(mine, scoped('pi-draft', 'PI-1'));
      await seed(mine, scoped('pi-ended', 'PI-1'), SCHEDULED, ENDED);
      const index = await indexOf({});
      assert.deepEqual(await ids(index, 'PI-1'), ['pi-a', 'pi-b']);
      assert.deepEqual(await ids(index, 'PI-2'), ['pi-b']);
      assert.deepEqual(await ids(index, 'PI-none'), []);
      // The same answer as the database's own index, record for record.
      assert.deepEqual(
        await index.findPublishedBySkus(['PI-1', 'PI-2']),
        await mine.findPublishedBySkus(['PI-1', 'PI-2']),
      );
    });

    test("this instance's commits are read at once: published, changed, gone", async () => {
      const index = await indexOf({});
      const draft = await seed(mine, scoped('pi-own', 'PI-3'));
      assert.deepEqual(await ids(index, 'PI-3'), []);
      const live = (await mine.commit(nextChange(draft, { state: SCHEDULED }))).record;
      assert.deepEqual(await ids(index, 'PI-3'), ['pi-own']);
      const moved = (
        await mine.commit(nextChange(live, { scope: { ...live.scope, skus: ['PI-4'] } }))
      ).record;
      assert.deepEqual(await ids(index, 'PI-3'), []);
      assert.deepEqual((await index.findPublishedBySkus(['PI-4'])).get('PI-4'), [
        await mine.get('pi-own'),
      ]);
      await mine.commit(nextChange(moved, { state: ENDED }));
      assert.deepEqual(await ids(index, 'PI-4'), []);
    });

    test('category, brand and hierarchy terms: indexed as the database does, and dropped', async () => {
      const termed = (id: string, scope: Partial<PromotionRecord['scope']>) => {
        const base = buildRecord(id);
        return buildRecord(id, { scope: { ...base.scope, skus: [], ...scope } });
      };
      const index = await indexOf({});
      assert.equal(await index.hasPublishedTermScopes(), false);
      assert.equal(await mine.hasPublishedTermScopes(), false);
      const cat = await seed(mine, termed('pi-cat', { categoryIds: ['GRP-T1'] }), SCHEDULED);
      await seed(
        mine,
        termed('pi-brand', { brandIds: ['BR-T'], excludedCategoryIds: ['GRP-T2'] }),
        ACTIVE,
      );
      await seed(mine, termed('pi-node', { hierarchyNodeIds: ['01T'] }));
      const terms = ['category:GRP-T1', 'brand:BR-T', 'node:01T', 'category:GRP-T2'];
      const found = await index.findPublishedByTerms(terms);
      assert.deepEqual(found, await mine.findPublishedByTerms(terms));
      const idsOf = (term: string) => found.get(term)!.map((p) => p.id);
      assert.deepEqual(idsOf('category:GRP-T1'), ['pi-cat']);
      assert.deepEqual(idsOf('brand:BR-T'), ['pi-brand']);
      assert.deepEqual(idsOf('node:01T'), [], 'a draft is not published');
      assert.deepEqual(idsOf('category:GRP-T2'), [], 'exclusions are not indexed');
      assert.equal(await index.hasPublishedTermScopes(), true);
      assert.equal(await mine.hasPublishedTermScopes(), true);
      await mine.commit(nextChange(cat, { state: ENDED }));
      const after = await index.findPublishedByTerms(['category:GRP-T1']);
      assert.deepEqual(after.get('category:GRP-T1'), []);
      assert.deepEqual(after, await mine.findPublishedByTerms(['category:GRP-T1']));
    });

    test('reads arriving together after an own commit all wait for its catch-up', async () => {
      const index = await indexOf({});
      const draft = await seed(mine, scoped('pi-both', 'PI-6'));
      await mine.commit(nextChange(draft, { state: SCHEDULED }));
      const [first, second] = await Promise.all([ids(index, 'PI-6'), ids(index, 'PI-6')]);
      assert.deepEqual(first, ['pi-both']);
      assert.deepEqual(second, ['pi-both'], 'the second read did not skip the catch-up');
    });

    test("another instance's commits: seen by the outbox poll", async () => {
      const index = await indexOf({ pollMs: 20 });
      await seed(theirs, scoped('pi-theirs', 'PI-5'), SCHEDULED);
      const deadline = Date.now() + 5000;
      while ((await ids(index, 'PI-5')).length === 0) {
        assert.ok(Date.now() < deadline, 'seen within 5 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(await ids(index, 'PI-5'), ['pi-theirs']);
    });

    test('fails closed: a catch-up that fails, or none for too long, sends reads to the database', async () => {
      let now = 1_000_000;
      const calls: string[] = [];
      let failing = false;
      const repository = {
        listPublished: () => mine.listPublished(),
        getMany: (i: readonly string[]) => mine.getMany(i),
        changedSince: (cursor: number) => {
          if (failing) return Promise.reject(new Error('connection refused'));
          return mine.changedSince(cursor);
        },
        findPublishedBySkus: (skus: readonly string[]) => {
          calls.push('database');
          return mine.findPublishedBySkus(skus);
        },
        findPublishedByTerms: (terms: readonly string[]) => {
          calls.push('database terms');
          return mine.findPublishedByTerms(terms);
        },
        hasPublishedTermScopes: () => {
          calls.push('database has terms');
          return mine.hasPublishedTermScopes();
        },
      };
      const errors: unknown[] = [];
      const index = new PublishedIndex({
        repository,
        pollMs: 0,
        maxStalenessMs: 1000,
        clock: () => now,
        onError: (e) => errors.push(e),
      });
      indexes.push(index);
      await index.start();
      await index.findPublishedBySkus(['PI-1']);
      assert.deepEqual(calls, [], 'fresh: from memory');
      // Its own commit, and the catch-up fails: the read goes to the database.
      failing = true;
      index.notify();
      await index.findPublishedBySkus(['PI-1']);
      assert.deepEqual(calls, ['database']);
      assert.equal(errors.length, 1);
      // Back: caught up, from memory again.
      failing = false;
      await index.findPublishedBySkus(['PI-1']);
      assert.deepEqual(calls, ['database']);
      // No catch-up succeeded for longer than allowed (the poll is failing): not trusted.
      now += 1001;
      await index.findPublishedBySkus(['PI-1']);
      const viaIndex = await index.hasPublishedTermScopes();
      assert.equal(viaIndex, await mine.hasPublishedTermScopes());
      await index.findPublishedByTerms(['category:GRP001']);
      assert.deepEqual(calls, ['database', 'database', 'database has terms', 'database terms']);
      calls.length = 2;
      await index.catchUp();
      await index.findPublishedBySkus(['PI-1']);
      assert.deepEqual(calls, ['database', 'database']);
    });

    test('a commit without an event is refused (it would change a promotion unseen)', async () => {
      const record = buildRecord('pi-silent');
      await assert.rejects(mine.commit({ ...createChange(record), events: [] }), {
        message: 'commit of pi-silent records no event: every change needs one',
      });
      assert.equal(await mine.get('pi-silent'), undefined);
    });
  });
}

publishedIndexSuite(
  'PGlite',
  async () => {
    const db = await createPgliteDatabase();
    return { db, close: () => db.close() };
  },
  false,
);

const pgSkip = await pgSkipReason();
publishedIndexSuite(
  'PostgreSQL server (random schema)',
  async () => {
    const schema = await createTestSchema();
    return { db: schema.open(), close: () => schema.drop() };
  },
  pgSkip,
);
