import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import type { DatabaseTimeouts } from '../../../subgraphs/shared/config.ts';
import {
  databaseUnavailableReason,
  withDatabaseUnavailableErrors,
} from '../../../subgraphs/promotion/storage/database-unavailable.ts';
import { runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import {
  clientQueryTimeoutMs,
  createPgDatabase,
} from '../../../subgraphs/promotion/storage/pg-database.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import {
  CommitOutcomeUnknownError,
  type SqlDatabase,
} from '../../../subgraphs/promotion/storage/sql-database.ts';
import {
  buildRecord,
  createChange,
  createTestSchema,
  nextChange,
  PG_URL,
  pgSkipReason,
} from '../storage/storage-fixtures.ts';

const pgSkip = await pgSkipReason();

function isUnavailable(message: string, extensions: Record<string, unknown> = {}) {
  return (error: unknown) => {
    assert.ok(error instanceof GraphQLError, String(error));
    assert.equal(error.message, message);
    assert.deepEqual(
      { ...error.extensions },
      { code: 'BACKEND_UNAVAILABLE', backend: 'database', ...extensions },
    );
    return true;
  };
}

describe('the client waits longer than the server lets a statement run', () => {
  test('clientQueryTimeoutMs is the statement timeout plus a margin; none without one', () => {
    for (const ms of [1, 300, 5000, 60_000]) assert.ok(clientQueryTimeoutMs(ms) > ms);
    assert.equal(clientQueryTimeoutMs(5000), 7000);
    assert.equal(clientQueryTimeoutMs(0), 0);
  });

  test('server timeouts say nothing was written; only a COMMIT without an answer is unknown', () => {
    const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
    assert.deepEqual(
      [
        withCode('canceling statement due to statement timeout', '57014'),
        withCode('canceling statement due to lock timeout', '55P03'),
        withCode('terminating connection due to idle-in-transaction timeout', '25P03'),
        new Error('Query read timeout'),
        new CommitOutcomeUnknownError(new Error('Connection terminated unexpectedly')),
      ].map(databaseUnavailableReason),
      [
        'statement timed out (SQLSTATE 57014); nothing was written',
        'lock wait timed out (SQLSTATE 55P03); nothing was written',
        'transaction idle too long (SQLSTATE 25P03); nothing was written',
        'no answer in time; nothing was committed',
        'no answer to the commit, which may have been applied: read the promotion before retrying, or retry with the same idempotency key or expected version',
      ],
    );
  });
});

describe('PostgreSQL timeouts on every connection', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  const opened: SqlDatabase[] = [];
  const open = (timeouts: Partial<DatabaseTimeouts>): SqlDatabase => {
    const db = createPgDatabase({
      connectionString: PG_URL,
      schema: schema.schema,
      max: 2,
      timeouts: {
        statementMs: 5000,
        lockMs: 2000,
        idleInTransactionMs: 10_000,
        connectMs: 2000,
        ...timeouts,
      },
    });
    opened.push(db);
    return db;
  };
  /** A second session holding the promotion's row lock until `release()`. */
  async function holdRowLock(id: string): Promise<{ release(): Promise<void> }> {
    const client = new pg.Client({
      connectionString: PG_URL,
      options: `-c search_path=${schema.schema}`,
    });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM promotions WHERE id = $1 FOR UPDATE', [id]);
    return {
      async release() {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }
  async function stored(db: SqlDatabase, id: string) {
    const { rows } = await db.query<{ version: number; events: string; audits: string }>(
      `SELECT p.version,
              (SELECT count(*) FROM outbox o WHERE o.promotion_id = p.id)::text AS events,
              (SELECT count(*) FROM audit a WHERE a.promotion_id = p.id)::text AS audits
         FROM promotions p WHERE p.id = $1`,
      [id],
    );
    return rows[0];
  }

  before(async () => {
    schema = await createTestSchema();
    await runMigrations(open({}));
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close().catch(() => undefined)));
    await schema?.drop();
  });

  test('each connection carries the configured timeouts', async () => {
    const db = open({ statementMs: 1234, lockMs: 567, idleInTransactionMs: 8910 });
    const { rows } = await db.query<{ s: string; l: string; i: string }>(
      `SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l,
              current_setting('idle_in_transaction_session_timeout') AS i`,
    );
    assert.deepEqual(rows, [{ s: '1234ms', l: '567ms', i: '8910ms' }]);
  });

  test('a write blocked by a held lock: the server gives up first (lock_timeout), typed error, nothing written; the retry commits', async () => {
    const db = open({ statementMs: 3000, lockMs: 300 });
    const repo = new PostgresPromotionRepository(withDatabaseUnavailableErrors(db));
    const record = (await repo.commit(createChange(buildRecord('prm_lock')))).record;
    const before = await stored(db, record.id);
    const lock = await holdRowLock(record.id);
    const started = Date.now();
    try {
      await assert.rejects(
        repo.commit(nextChange(record, { name: 'blocked' })),
        isUnavailable(
          'database is unavailable: lock wait timed out (SQLSTATE 55P03); nothing was written',
        ),
      );
      assert.ok(Date.now() - started < 2500, 'the lock timeout, not the statement timeout');
      assert.deepEqual(await stored(db, record.id), before);
    } finally {
      await lock.release();
    }
    assert.deepEqual(await stored(db, record.id), before, 'nothing committed later either');
    const retried = await repo.commit(nextChange(record, { name: 'after the lock' }));
    assert.equal(retried.record.version, 2);
  });

  test('without a lock timeout the statement timeout cancels it, before the client stops waiting', async () => {
    const db = open({ statementMs: 400, lockMs: 0 });
    const repo = new PostgresPromotionRepository(withDatabaseUnavailableErrors(db));
    const record = (await repo.commit(createChange(buildRecord('prm_statement')))).record;
    const before = await stored(db, record.id);
    const lock = await holdRowLock(record.id);
    try {
      // The server's cancel (SQLSTATE 57014) arrives, not pg's own "Query read timeout" (which
      // would fire only after clientQueryTimeoutMs(400) = 2400 ms).
      await assert.rejects(
        repo.commit(nextChange(record)),
        isUnavailable(
          'database is unavailable: statement timed out (SQLSTATE 57014); nothing was written',
        ),
      );
      assert.deepEqual(await stored(db, record.id), before);
    } finally {
      await lock.release();
    }
    assert.deepEqual(await stored(db, record.id), before, 'nothing committed later either');
  });

  test('a transaction left idle is ended by the server and rolled back', async () => {
    const db = withDatabaseUnavailableErrors(open({ idleInTransactionMs: 200 }));
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO schema_migrations (version, name, checksum) VALUES ('9999', 'idle', 'x')`,
        );
        await sleep(600); // longer than the idle timeout: the point of this test
        await tx.query('SELECT 1');
      }),
      (error: unknown) => {
        assert.ok(error instanceof GraphQLError, String(error));
        assert.equal(error.extensions.code, 'BACKEND_UNAVAILABLE');
        assert.match(
          error.message,
          /^database is unavailable: (transaction idle too long \(SQLSTATE 25P03\); nothing was written|connection lost)$/,
        );
        return true;
      },
    );
    const { rows } = await open({}).query(`SELECT 1 FROM schema_migrations WHERE version = '9999'`);
    assert.deepEqual(rows, []);
  });
});

describe('the connect timeout', () => {
  let server: Server;
  const sockets: Socket[] = [];
  before(async () => {
    // Accepts connections and never answers the startup message.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a server that never answers is BACKEND_UNAVAILABLE within DB_CONNECT_TIMEOUT_MS', async () => {
    const port = (server.address() as { port: number }).port;
    const db = createPgDatabase({
      connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
      timeouts: { statementMs: 5000, lockMs: 2000, idleInTransactionMs: 10_000, connectMs: 300 },
    });
    const started = Date.now();
    try {
      await assert.rejects(
        withDatabaseUnavailableErrors(db).query('SELECT 1'),
        isUnavailable('database is unavailable: connection lost'),
      );
      assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    } finally {
      await db.close();
    }
  });
});
