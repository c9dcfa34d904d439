import { backendUnavailable } from '../../shared/errors.ts';
import type { SqlDatabase, SqlRow } from './sql-database.ts';

/** Socket errors of a connection that could not be opened or was lost (Node / `pg`). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server going away or not there yet (besides class 08, connection exception). */
const SERVER_STATES: Record<string, string> = {
  '57P01': 'server shutting down',
  '57P02': 'server crashed',
  '57P03': 'server not accepting connections',
};

/** `pg`'s own messages for a connection that dropped or never came up. */
const LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Why `error` means the database cannot be reached (a short reason for the client), or
 * undefined when it is any other error (constraint, syntax, ...), which stays as it is.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return `connection failed (${code})`;
    if (code.startsWith('08')) return `connection failed (SQLSTATE ${code})`;
    if (SERVER_STATES[code]) return `${SERVER_STATES[code]} (SQLSTATE ${code})`;
  }
  return LOST.test(error.message) ? 'connection lost' : undefined;
}

/**
 * The database seen by the GraphQL-facing repository: a statement or transaction that fails
 * because PostgreSQL cannot be reached rejects with BACKEND_UNAVAILABLE (`backend: 'database'`)
 * instead of an untyped error the subgraph would mask as INTERNAL_SERVER_ERROR. A failed COMMIT
 * has an unknown outcome; clients retry with their idempotency key or expected version.
 */
export function withDatabaseUnavailableErrors(db: SqlDatabase): SqlDatabase {
  const rethrow = (error: unknown): never => {
    const reason = databaseUnavailableReason(error);
    throw reason ? backendUnavailable('database', reason) : error;
  };
  return {
    query: <R extends SqlRow>(sql: string, params?: readonly unknown[]) =>
      db.query<R>(sql, params).catch(rethrow),
    exec: (sql) => db.exec(sql).catch(rethrow),
    transaction: (fn) => db.transaction(fn).catch(rethrow),
    close: () => db.close(),
  };
}
