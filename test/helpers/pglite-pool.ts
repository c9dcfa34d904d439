import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteDatabase } from '../../subgraphs/promotion/storage/pglite-database.ts';
import type { SqlDatabase } from '../../subgraphs/promotion/storage/sql-database.ts';

/**
 * How long a released database waits for the next `acquirePglite` before it is closed. An open
 * PGlite keeps its process alive for about 10 s after its last statement (an itimer of its own),
 * so spares do not outlive the test file.
 */
const IDLE_MS = 250;

const spares: { db: SqlDatabase; timer: NodeJS.Timeout }[] = [];

let template: Promise<Blob | undefined> | undefined;

/**
 * A fresh cluster's data directory (PGlite `dumpDataDir`), kept in the temp directory per PGlite
 * version: starting from it takes about a second, running initdb about three. The first test
 * process to need it writes it (atomically); any failure falls back to initdb.
 */
function freshCluster(): Promise<Blob | undefined> {
  template ??= (async () => {
    const { version } = JSON.parse(
      await readFile(
        new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
        'utf8',
      ),
    ) as { version: string };
    const file = join(tmpdir(), `promotions-graph-pglite-${version}.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      const pg = await PGlite.create();
      const dump = await pg.dumpDataDir('none');
      await pg.close();
      const partial = `${file}.${process.pid}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    }
  })().catch(() => undefined);
  return template;
}

/**
 * An empty embedded PGlite database in memory (no tables: the store's migrations create them),
 * reused within a test process: creating one costs a second or more, emptying one milliseconds.
 * Give it back with `releasePglite` once its store is closed.
 */
export async function acquirePglite(): Promise<SqlDatabase> {
  const spare = spares.pop();
  if (spare) {
    clearTimeout(spare.timer);
    return spare.db;
  }
  const loadDataDir = await freshCluster();
  return createPgliteDatabase(loadDataDir ? { loadDataDir } : {});
}

/** Empties the database and keeps it for the next `acquirePglite` (closed if none comes soon). */
export async function releasePglite(db: SqlDatabase): Promise<void> {
  try {
    await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  } catch {
    await db.close().catch(() => undefined);
    return;
  }
  const spare = {
    db,
    timer: setTimeout(() => {
      spares.splice(spares.indexOf(spare), 1);
      void db.close().catch(() => undefined);
    }, IDLE_MS),
  };
  spare.timer.unref();
  spares.push(spare);
}
