import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { LifecycleServerArgs } from './lifecycle-server.ts';

const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

export type PgTarget = { skipped: string } | { databaseUrl: string; drop(): Promise<void> };

/** A random schema (`<prefix>_<hex>`) on the PostgreSQL at `url`, or why it cannot be used. */
async function pgSchema(url: string, prefix = 'bench_lifecycle'): Promise<PgTarget> {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    return {
      skipped: `PostgreSQL at ${url} does not answer (${(error as Error).message}); start it with: ${PG_START}`,
    };
  }
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const withPath = new URL(url);
  withPath.searchParams.set('options', `-c search_path=${schema}`);
  return {
    databaseUrl: withPath.toString(),
    async drop() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** The next IPC message of `type` from a bench child process. */
export async function message<T>(child: ChildProcess, type: string): Promise<T> {
  for (;;) {
    const [msg] = (await once(child, 'message')) as [{ type: string } & T];
    if (msg.type === type) return msg;
  }
}

export type Skipped = { store: string; skipped: string };

/**
 * Runs `run` once per store of `stores` (`pglite,postgres`): embedded PGlite, then the
 * PostgreSQL at `pgUrl` in a random schema dropped afterwards (skipped, with the command that
 * starts it, when it does not answer).
 */
export async function forEachStore<T>(
  stores: string,
  pgUrl: string,
  schemaPrefix: string,
  run: (store: string, databaseUrl: string | undefined) => Promise<T>,
): Promise<(T | Skipped)[]> {
  const results: (T | Skipped)[] = [];
  for (const store of stores.split(',').map((s) => s.trim())) {
    if (store === 'pglite') {
      results.push(await run('pglite', undefined));
    } else if (store === 'postgres') {
      const target = await pgSchema(pgUrl, schemaPrefix);
      if ('skipped' in target) {
        console.log(`postgres skipped: ${target.skipped}`);
        results.push({ store, skipped: target.skipped });
        continue;
      }
      try {
        results.push(await run('postgres', target.databaseUrl));
      } finally {
        await target.drop();
      }
    } else {
      throw new Error(`unknown store ${store} (pglite, postgres)`);
    }
  }
  return results;
}

/**
 * The promotion subgraph in a child process (lifecycle-server.ts), its own event loop apart
 * from the load; resolves once it listens. `stop` closes it and waits for the exit.
 */
export async function startSubgraphChild(
  store: string,
  serverArgs: LifecycleServerArgs,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = fork(
    join(import.meta.dirname, 'lifecycle-server.ts'),
    [JSON.stringify(serverArgs)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = once(child, 'exit');
  const stop = async () => {
    child.send({ type: 'stop' });
    await exited;
  };
  try {
    const { url } = await Promise.race([
      message<{ url: string }>(child, 'ready'),
      exited.then(() => Promise.reject(new Error(`${store}: the subgraph process exited`))),
    ]);
    return { url, child, stop };
  } catch (error) {
    child.kill();
    throw error;
  }
}

/** The machine a benchmark ran on, for its report. */
export function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Writes `report` to `<outDir>/<name>-<startedAt>.json` (not committed); returns the path. */
export function writeReport(
  outDir: string,
  name: string,
  startedAt: Date,
  report: unknown,
): string {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}-${startedAt.toISOString().replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
