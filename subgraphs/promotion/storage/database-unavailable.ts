import { backendUnavailable } from '../../shared/errors.ts';
import { CommitOutcomeUnknownError, type SqlDatabase, type SqlRow } from './sql-database.ts';

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

/**
 * SQLSTATEs of the server's timeouts (DatabaseTimeouts): it cancelled the statement or ended the
 * session, and the transaction rolled back, so nothing of the write was committed.
 */
const TIMED_OUT: Record<string, string> = {
  '57014': 'statement timed out',
  '55P03': 'lock wait timed out',
  '25P03': 'transaction idle too long',
};

/** `pg`'s own messages for a connection that dropped or never came up. */
const LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** `pg`'s message when its own wait (`query_timeout`, longer than the server's) ran out. */
const NO_ANSWER = /^Query read timeout/;

/**
 * Why `error` means the database cannot be reached (a short reason for the client), or
 * undefined when it is any other error (constraint, syntax, ...), which stays as it is.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  if (error instanceof CommitOutcomeUnknownError) {
    return 'no answer to the commit, which may have been applied: read the promotion before retrying, or retry with the same idempotency key or expected version';
  }
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return `connection failed (${code})`;
    if (code.startsWith('08')) return `connection failed (SQLSTATE ${code})`;
    if (SERVER_STATES[code]) return `${SERVER_STATES[code]} (SQLSTATE ${code})`;
    if (TIMED_OUT[code]) return `${TIMED_OUT[code]} (SQLSTATE ${code}); nothing was written`;
  }
  if (NO_ANSWER.test(error.message)) return 'no answer in time; nothing was committed';
  return LOST.test(error.message) ? 'connection lost' : undefined;
}

/**
 * The database seen by the GraphQL-facing repository: a statement or transaction that fails
 * because PostgreSQL cannot be reached rejects with BACKEND_UNAVAILABLE (`backend: 'database'`)
 * instead of an untyped error the subgraph would mask as INTERNAL_SERVER_ERROR. A statement the
 * server cancelled (statement, lock or idle timeout) rolled its transaction back: "nothing was
 * written". Only a COMMIT without an answer has an unknown outcome, and says so
 * (`commitOutcome: 'UNKNOWN'`); clients then retry with their idempotency key or expected version.
 */
export function withDatabaseUnavailableErrors(db: SqlDatabase): SqlDatabase {
  const rethrow = (error: unknown): never => {
    const reason = databaseUnavailableReason(error);
    if (!reason) throw error;
    const unknown = error instanceof CommitOutcomeUnknownError;
    throw backendUnavailable('database', reason, unknown ? { commitOutcome: 'UNKNOWN' } : {});
  };
  return {
    query: <R extends SqlRow>(sql: string, params?: readonly unknown[]) =>
      db.query<R>(sql, params).catch(rethrow),
    exec: (sql) => db.exec(sql).catch(rethrow),
    transaction: (fn) => db.transaction(fn).catch(rethrow),
    close: () => db.close(),
  };
}
