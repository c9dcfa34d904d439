import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';

const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

export type PgTarget = { skipped: string } | { databaseUrl: string; drop(): Promise<void> };

/** A random schema (`<prefix>_<hex>`) on the PostgreSQL at `url`, or why it cannot be used. */
export async function pgSchema(url: string, prefix = 'bench_lifecycle'): Promise<PgTarget> {
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
