import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlExecutor, SqlResult, SqlRow } from './sql-database.ts';

export type PgliteDatabaseOptions = {
  /** A directory to keep the data in; in memory when absent. */
  dataDir?: string;
  /**
   * A data directory tarball (PGlite `dumpDataDir`) to start from instead of running initdb,
   * which takes seconds (tests start from a fresh cluster's). Default none.
   */
  loadDataDir?: Blob;
};

type Target = PGlite | Transaction;

function executor(target: Target): SqlExecutor {
  return {
    async query<R extends SqlRow>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(sql, params as unknown[]);
      return {
        rows: result.rows,
        rowCount: result.affectedRows ?? result.rows.length,
      } satisfies SqlResult<R>;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

/**
 * Embedded PostgreSQL (one process, one connection). Transactions run one at a time and a
 * statement outside a transaction waits for the running one, so each transaction sees no
 * interleaved work; row locks and advisory locks are trivially granted.
 */
export async function createPgliteDatabase(
  options: PgliteDatabaseOptions = {},
): Promise<SqlDatabase> {
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
  const direct = executor(db);
  return {
    query: (sql, params) => serial(() => direct.query(sql, params)),
    exec: (sql) => serial(() => direct.exec(sql)),
    transaction: (fn) => serial(() => db.transaction((tx) => fn(executor(tx)))),
    async close() {
      await serial(() => db.close());
    },
  };
}
