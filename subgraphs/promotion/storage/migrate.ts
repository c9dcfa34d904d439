import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlDatabase } from './sql-database.ts';

export type Migration = { version: string; name: string; sql: string; checksum: string };

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** One lock per schema: processes migrating the same schema at once take turns. */
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('promotion.migrations:' || current_schema()))`;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    text PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** The `NNNN_name.sql` files of `dir`, in version order. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => FILE_NAME.test(n)).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const sql = await readFile(`${dir.replace(/\/?$/, '/')}${name}`, 'utf8');
    const version = FILE_NAME.exec(name)![1]!;
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`two migrations share version ${version} in ${dir}`);
    }
    migrations.push({
      version,
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

/**
 * Applies the pending migrations in order, each in its own transaction that first takes an
 * advisory lock, so several processes starting at once apply each file exactly once. They run
 * without the connection's statement and lock timeouts.
 * Idempotent. Fails when an applied file was edited afterwards (checksum mismatch).
 * Returns the names applied by this call.
 */
export async function runMigrations(
  db: SqlDatabase,
  options: { migrations?: Migration[] } = {},
): Promise<string[]> {
  const migrations = options.migrations ?? (await loadMigrations());
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      // A migration may rewrite a table, and another process's migration may hold the lock for
      // as long: the connection's statement and lock timeouts (DatabaseTimeouts) do not apply.
      await tx.exec('SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0');
      await tx.query(LOCK);
      await tx.query(CREATE_TABLE);
      const { rows } = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [migration.version],
      );
      if (rows[0]) {
        if (rows[0].checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query(
        'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
        [migration.version, migration.name, migration.checksum],
      );
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
