import pg from 'pg';
import type { SqlDatabase, SqlExecutor, SqlResult, SqlRow } from './sql-database.ts';

export type PgDatabaseOptions = {
  /** `postgres://user@host:port/db` (the DATABASE_URL form). */
  connectionString: string;
  /** Sets `search_path` on every connection (tests use a random schema per run). */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

type Queryable = pg.Pool | pg.PoolClient;

function executor(target: Queryable): SqlExecutor {
  return {
    async query<R extends SqlRow>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query(sql, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 } satisfies SqlResult<R>;
    },
    async exec(sql: string) {
      await target.query(sql);
    },
  };
}

/** PostgreSQL through a `pg` pool; each transaction holds one pooled client. */
export function createPgDatabase(options: PgDatabaseOptions): SqlDatabase {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(options.schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => console.error('[promotion] idle PostgreSQL client error', error));
  // A checked-out client has no pool listener: a connection lost while no statement runs (even in
  // the same socket read that handed the client over) would be an uncaught 'error' event. The
  // running or next statement fails with the error instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const direct = executor(pool);
  return {
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
