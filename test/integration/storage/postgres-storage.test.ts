import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBus } from '../../../subgraphs/promotion/events/event-bus.ts';
import { InMemoryEventBus } from '../../../subgraphs/promotion/events/in-memory-event-bus.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import {
  formatCursor,
  IdempotencyKeyTakenError,
} from '../../../subgraphs/promotion/storage/promotion.repository.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { main as migrateCommand } from '../../../subgraphs/promotion/storage/migrate-command.ts';
import { loadMigrations, runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { OutboxRelay } from '../../../subgraphs/promotion/storage/outbox-relay.ts';
import { createPgliteDatabase } from '../../../subgraphs/promotion/storage/pglite-database.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import {
  auditDraft,
  buildRecord,
  createChange,
  createTestSchema,
  eventDraft,
  nextChange,
  PG_URL,
  pgSkipReason,
  publication,
} from './storage-fixtures.ts';

/** Every migration file, in order: what a fresh database must have applied. */
const MIGRATIONS = (await loadMigrations()).map((migration) => migration.name);

const TABLES = [
  'promotions',
  'promotion_versions',
  'promotion_skus',
  'audit',
  'channel_publications',
  'idempotency_keys',
  'outbox',
];

/** Row count of every table, plus the outbox cursor counter. */
async function snapshot(db: SqlDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = rows[0]!.n as number;
  }
  const { rows } = await db.query('SELECT last_cursor::int AS n FROM outbox_cursor');
  out.outbox_cursor = rows[0]!.n as number;
  return out;
}

/** Records every append; reports no latest cursor, so a double forward would show. */
class RecordingBus implements EventBus {
  readonly appended: PromotionBusEvent[] = [];
  async append(events: readonly PromotionBusEvent[]): Promise<void> {
    this.appended.push(...events);
  }
  stream(): AsyncIterableIterator<PromotionBusEvent> {
    throw new Error('not used');
  }
  latestCursor(): string | null {
    return null;
  }
}

type Target = {
  name: string;
  skip: string | false;
  open(): Promise<{ db: SqlDatabase; close(): Promise<void> }>;
};

const pgSkip = await pgSkipReason();
const targets: Target[] = [
  {
    name: 'PGlite',
    skip: false,
    async open() {
      const db = await createPgliteDatabase();
      return { db, close: () => db.close() };
    },
  },
  {
    name: 'PostgreSQL server',
    skip: pgSkip,
    async open() {
      const schema = await createTestSchema();
      return { db: schema.open(), close: () => schema.drop() };
    },
  },
];

for (const target of targets) {
  describe(`promotion storage on ${target.name}`, { skip: target.skip }, () => {
    let db: SqlDatabase;
    let close: () => Promise<void>;
    let repo: PostgresPromotionRepository;
    before(async () => {
      ({ db, close } = await target.open());
      repo = new PostgresPromotionRepository(db);
    });
    after(() => close?.());

    test('migrations apply once and are idempotent', async () => {
      assert.deepEqual(await runMigrations(db), MIGRATIONS);
      assert.deepEqual(await runMigrations(db), []);
      const { rows } = await db.query('SELECT version, name FROM schema_migrations');
      assert.deepEqual(
        rows,
        MIGRATIONS.map((name) => ({ version: name.slice(0, 4), name })),
      );
      const [m] = await loadMigrations();
      await assert.rejects(runMigrations(db, { migrations: [{ ...m!, checksum: 'edited' }] }), {
        message:
          'migration 0001_promotion_storage.sql was changed after it was applied; add a new migration instead',
      });
    });

    test('a failed commit writes nothing to any table', async () => {
      const input = buildRecord('fail-1', {
        scope: { ...buildRecord('x').scope, skus: ['SKU-X1'] },
      });
      const idempotency = { scope: 'create', key: 'fail-key', fingerprint: 'f' };
      const v1 = (
        await repo.commit(
          createChange(input, {
            idempotency,
            publications: [publication(input, SalesChannel.POS)],
          }),
        )
      ).record;
      const before = await snapshot(db);
      // Fails on the audit insert, after the record, version, publications and SKUs were written.
      const broken = nextChange(
        v1,
        { name: 'Broken', scope: { ...v1.scope, skus: ['SKU-X2'] } },
        {
          publications: [publication({ ...v1, version: 2 }, SalesChannel.ECOMMERCE)],
          audit: [
            {
              ...auditDraft(v1, null),
              actor: { ...auditDraft(v1, null).actor, subject: null as unknown as string },
            },
          ],
        },
      );
      await assert.rejects(repo.commit(broken), /actor_subject/);
      // A new promotion whose idempotency key is taken: rejected after its row was inserted.
      await assert.rejects(
        repo.commit(createChange(buildRecord('fail-2'), { idempotency })),
        IdempotencyKeyTakenError,
      );
      assert.deepEqual(await snapshot(db), before);
      assert.deepEqual(await repo.get('fail-1'), v1);
      assert.equal(await repo.get('fail-2'), undefined);
      assert.deepEqual(Object.fromEntries(await repo.findPublishedBySkus(['SKU-X2'])), {
        'SKU-X2': [],
      });
      const next = await repo.commit(nextChange(v1, { name: 'Works' }));
      assert.equal(next.events[0]!.cursor, formatCursor(before.outbox_cursor! + 1));
    });

    test('the relay forwards the outbox in cursor order to the in-process bus', async () => {
      const bus = new InMemoryEventBus();
      const relay = new OutboxRelay({ db, bus, pollIntervalMs: 0, batchSize: 2 });
      repo.onEvents = () => relay.wake();
      try {
        const input = buildRecord('relay-1');
        const created = await repo.commit(
          createChange(input, { events: [eventDraft(input, null), eventDraft(input, null)] }),
        );
        const next = await repo.commit(nextChange(created.record));
        await relay.drain();
        const { rows } = await db.query<{ event: PromotionBusEvent }>(
          'SELECT event FROM outbox ORDER BY cursor',
        );
        const all = rows.map((r) => r.event);
        assert.deepEqual(all.slice(-3), [...created.events, ...next.events]);
        const replay: PromotionBusEvent[] = [];
        const stream = bus.stream();
        for (let i = 0; i < all.length; i++)
          replay.push((await stream.next()).value as PromotionBusEvent);
        await stream.return?.();
        assert.deepEqual(replay, all);
        const unpublished = await db.query('SELECT cursor FROM outbox WHERE published_at IS NULL');
        assert.deepEqual(unpublished.rows, []);
        // Events the bus already has (a relay died before COMMIT) are not appended again.
        await db.query('UPDATE outbox SET published_at = NULL');
        await relay.drain();
        assert.equal(bus.latestCursor(), all.at(-1)!.cursor);
      } finally {
        repo.onEvents = undefined;
        await relay.close();
      }
    });
  });
}

describe('several processes on one PostgreSQL schema', { skip: pgSkip }, () => {
  test('the migrate command applies pending migrations to the URL, then reports none', async () => {
    const schema = await createTestSchema();
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
    try {
      assert.deepEqual(await migrateCommand(url, () => undefined), MIGRATIONS);
      assert.deepEqual(await migrateCommand(url, () => undefined), []);
      await assert.rejects(migrateCommand(undefined), /DATABASE_URL is not set/);
    } finally {
      await schema.drop();
    }
  });

  test('migrations run concurrently apply each file exactly once', async () => {
    const schema = await createTestSchema();
    try {
      const dbs = Array.from({ length: 4 }, () => schema.open(1));
      const applied = (await Promise.all(dbs.map((db) => runMigrations(db)))).flat();
      // Each file once, by whichever runner got to it first (runners interleave file by file).
      assert.deepEqual([...applied].sort(), MIGRATIONS);
      const { rows } = await dbs[0]!.query('SELECT count(*)::int AS n FROM schema_migrations');
      assert.deepEqual(rows, [{ n: MIGRATIONS.length }]);
    } finally {
      await schema.drop();
    }
  });

  test('two relays at once forward every event exactly once, in cursor order', async () => {
    const schema = await createTestSchema();
    const relays: OutboxRelay[] = [];
    try {
      const db = schema.open();
      await runMigrations(db);
      const repo = new PostgresPromotionRepository(db);
      const bus = new RecordingBus();
      relays.push(
        new OutboxRelay({ db: schema.open(2), bus, pollIntervalMs: 0, batchSize: 3 }),
        new OutboxRelay({ db: schema.open(2), bus, pollIntervalMs: 0, batchSize: 3 }),
      );
      repo.onEvents = () => relays.forEach((r) => r.wake());
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const input = buildRecord(`multi-${i}`);
          return repo.commit(
            createChange(input, { events: [eventDraft(input, null), eventDraft(input, null)] }),
          );
        }),
      );
      await Promise.all(relays.map((r) => r.drain()));
      const committed = results
        .flatMap((r) => r.events)
        .sort((a, b) => (a.cursor < b.cursor ? -1 : 1));
      assert.deepEqual(
        committed.map((e) => e.cursor),
        Array.from({ length: 40 }, (_, i) => formatCursor(i + 1)),
      );
      assert.deepEqual(bus.appended, committed);
      const { rows } = await db.query(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      );
      assert.deepEqual(rows, [{ n: 0 }]);
    } finally {
      await Promise.all(relays.map((r) => r.close()));
      await schema.drop();
    }
  });
});
