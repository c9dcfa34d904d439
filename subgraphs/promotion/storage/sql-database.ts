/**
 * The little SQL surface the promotion storage needs, implemented by `pg` (PostgreSQL) and
 * PGlite (embedded PostgreSQL) so one set of SQL and migrations serves both.
 */

export type SqlRow = Record<string, unknown>;

export type SqlResult<R extends SqlRow = SqlRow> = { rows: R[]; rowCount: number };

export interface SqlExecutor {
  /** One statement with `$1`-style parameters. JSON values must be passed as JSON text. */
  query<R extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** Several statements without parameters (migration files). */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /**
   * Runs `fn` in one transaction (READ COMMITTED) on one connection: COMMIT when it resolves,
   * ROLLBACK when it throws (the error is rethrown).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * COMMIT was sent but no answer came (connection lost, no answer in time): the transaction may
 * have committed or not. `cause` is the connection's error.
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(override readonly cause: unknown) {
    super(`commit outcome unknown: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'CommitOutcomeUnknownError';
  }
}

/** bigint columns arrive as strings from `pg` and as numbers from PGlite. */
export function toInt(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`expected an integer, got ${String(value)}`);
  return n;
}

/** timestamptz arrives as a Date (or as text inside jsonb): the JavaScript ISO form. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string | Date).toISOString();
}
