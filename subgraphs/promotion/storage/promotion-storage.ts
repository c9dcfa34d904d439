import type { EventBus } from '../events/event-bus.ts';
import { withDatabaseUnavailableErrors } from './database-unavailable.ts';
import { runMigrations } from './migrate.ts';
import { OutboxRelay } from './outbox-relay.ts';
import type { DatabaseTimeouts } from '../../shared/config.ts';
import { createPgDatabase } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';
import { PostgresPromotionRepository } from './postgres-promotion.repository.ts';
import type { SqlDatabase } from './sql-database.ts';

export type PromotionStorageOptions = {
  /** PostgreSQL connection string (DATABASE_URL); embedded PGlite when absent. */
  databaseUrl?: string;
  /** PGlite data directory; in memory when absent. Ignored with `databaseUrl`. */
  pgliteDataDir?: string;
  /** PostgreSQL timeouts of every connection (with `databaseUrl`). Default DEFAULT_DATABASE_TIMEOUTS. */
  databaseTimeouts?: DatabaseTimeouts;
  /**
   * An opened database to use instead (e.g. a pool on a test schema); `databaseUrl` and
   * `pgliteDataDir` are then ignored. It stays open on `close`: it is the caller's.
   */
  db?: SqlDatabase;
  /** Where the relay forwards committed events. */
  bus: EventBus;
  /** Relay poll period (catches other processes' commits). Default 1000 ms; 0 disables. */
  pollIntervalMs?: number;
};

export type PromotionStorage = {
  db: SqlDatabase;
  repository: PostgresPromotionRepository;
  relay: OutboxRelay;
  /** Stops the relay, then closes the database (unless the caller passed it in). */
  close(): Promise<void>;
};

/**
 * Opens the database, applies pending migrations, and connects repository → outbox → relay →
 * bus: every commit wakes the relay, which also forwards what an earlier run left behind.
 */
export async function createPromotionStorage(
  options: PromotionStorageOptions,
): Promise<PromotionStorage> {
  const db =
    options.db ??
    (options.databaseUrl
      ? createPgDatabase({
          connectionString: options.databaseUrl,
          ...(options.databaseTimeouts ? { timeouts: options.databaseTimeouts } : {}),
        })
      : await createPgliteDatabase(
          options.pgliteDataDir ? { dataDir: options.pgliteDataDir } : {},
        ));
  try {
    await runMigrations(db);
  } catch (error) {
    if (!options.db) await db.close();
    throw error;
  }
  const relay = new OutboxRelay({
    db,
    bus: options.bus,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  // GraphQL callers get BACKEND_UNAVAILABLE when the database cannot be reached.
  const repository = new PostgresPromotionRepository(withDatabaseUnavailableErrors(db), {
    onEvents: () => relay.wake(),
  });
  relay.wake();
  return {
    db,
    repository,
    relay,
    async close() {
      await relay.close();
      if (!options.db) await db.close();
    },
  };
}
