import pg from 'pg';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from '../../shared/config.ts';
import {
  CommitOutcomeUnknownError,
  type SqlDatabase,
  type SqlExecutor,
  type SqlResult,
  type SqlRow,
} from './sql-database.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

export type PgDatabaseOptions = {
  /** `postgres://user@host:port/db` (the DATABASE_URL form). */
  connectionString: string;
  /** Sets `search_path` on every connection (tests use a random schema per run). */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  /** Server-side timeouts set on every connection, and the connect timeout. Default DEFAULT_DATABASE_TIMEOUTS. */
  timeouts?: DatabaseTimeouts;
};

/** How much longer the client waits for an answer than the server lets a statement run. */
export const CLIENT_TIMEOUT_MARGIN_MS = 2000;

/**
 * The client's wait for one statement's answer (`pg` `query_timeout`): the server's
 * `statement_timeout` plus a margin, so the server always cancels (and rolls back) first and the
 * client gives up only when the server cannot answer at all. 0 (none) when the server sets none:
 * a client limit alone could give up on a write that still commits.
 */
export function clientQueryTimeoutMs(statementMs: number): number {
  return statementMs > 0 ? statementMs + CLIENT_TIMEOUT_MARGIN_MS : 0;
}

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
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const queryTimeout = clientQueryTimeoutMs(timeouts.statementMs);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    // Startup parameters of every connection: the server cancels a statement that runs or waits
    // for a lock too long, and ends a session left idle inside a transaction (rolling it back).
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    ...(queryTimeout > 0 ? { query_timeout: queryTimeout } : {}),
    ...(timeouts.connectMs > 0 ? { connectionTimeoutMillis: timeouts.connectMs } : {}),
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) =>
    processLogger().error({ err }, 'promotion idle PostgreSQL client error'),
  );
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
        try {
          await client.query('COMMIT');
        } catch (error) {
          // The server answered: it rolled back. No answer (connection lost, client timeout):
          // the COMMIT may have been applied or not.
          if (error instanceof pg.DatabaseError) throw error;
          broken = true;
          throw new CommitOutcomeUnknownError(error);
        }
        return result;
      } catch (error) {
        if (!broken) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        }
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
