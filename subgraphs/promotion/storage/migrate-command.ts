import { pathToFileURL } from 'node:url';
import { readSubgraphConfig } from '../../shared/config.ts';
import { runMigrations } from './migrate.ts';
import { createPgDatabase } from './pg-database.ts';

/**
 * `tsx subgraphs/promotion/storage/migrate-command.ts` applies the promotion migrations to
 * DATABASE_URL. (The embedded PGlite database migrates itself when the subgraph starts.)
 */
export async function main(
  url: string | undefined,
  log: (line: string) => void = console.log,
): Promise<string[]> {
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: nothing to migrate (the embedded PGlite database migrates itself at start)',
    );
  }
  const db = createPgDatabase({ connectionString: url, max: 1 });
  try {
    const applied = await runMigrations(db);
    log(applied.length ? `applied ${applied.join(', ')}` : 'promotion database is up to date');
    return applied;
  } finally {
    await db.close();
  }
}

// Entry point (`npm run db:migrate`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(readSubgraphConfig().databaseUrl).catch((error: unknown) => {
    console.error(`[promotion] migration failed: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
