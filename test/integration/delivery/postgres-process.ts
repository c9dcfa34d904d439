import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../helpers/free-port.ts';

const execFileAsync = promisify(execFile);

/**
 * A private PostgreSQL server (initdb into a temp dir, pg_ctl on a random port) that a test may
 * stop and start again: the shared server on 5432 is never touched. initdb refuses to run as
 * root, so as root every binary runs as the `postgres` user (`runuser -u postgres --`), which
 * owns the temp dir.
 */
export type PostgresProcess = {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth). */
  url: string;
  /** `pg_ctl stop -m <mode>`; resolves once the server has exited. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl start -w`: resolves once it accepts connections again (same port, same data). */
  start(): Promise<void>;
  /** Stops the server (immediate) and removes the temp dir; safe to call twice. */
  destroy(): void;
};

const PG_ROOT = '/usr/lib/postgresql';

/** The newest `/usr/lib/postgresql/<major>/bin` holding initdb and pg_ctl, if any. */
function findBinDir(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  return readdirSync(PG_ROOT)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(PG_ROOT, v, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

const isRoot = () => process.getuid?.() === 0;

/** The postgres user's uid/gid (needed as root), or undefined. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * `undefined` when a private server can be started here, else the skip message naming what is
 * missing; under CI=true that is a failure (throws).
 */
export function postgresServerSkipReason(): string | undefined {
  let reason: string | undefined;
  if (!findBinDir()) {
    reason = `no PostgreSQL server binaries (initdb, pg_ctl) under ${PG_ROOT}/<version>/bin; install them with: apt-get install postgresql`;
  } else if (isRoot() && !postgresUser()) {
    reason = 'running as root without a `postgres` user to run initdb as (initdb refuses root)';
  }
  if (reason && process.env.CI === 'true') throw new Error(reason);
  return reason;
}

/** initdb + pg_ctl start on a free port; the data lives in a fresh temp dir. */
export async function startPostgresProcess(): Promise<PostgresProcess> {
  const bin = findBinDir();
  if (!bin) throw new Error(postgresServerSkipReason() ?? 'no PostgreSQL binaries');
  const dir = mkdtempSync(join(tmpdir(), 'promotion-pg-'));
  const data = join(dir, 'data');
  const owner = isRoot() ? postgresUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const command = (tool: string, args: string[]): [string, string[]] =>
    owner
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
  /** Runs a tool without blocking the event loop (the app keeps working while it runs). */
  const run = async (tool: string, args: string[]) => {
    const [cmd, argv] = command(tool, args);
    try {
      await execFileAsync(cmd, argv, { timeout: 90_000 });
    } catch (error) {
      const { stderr, code } = error as { stderr?: string; code?: unknown };
      throw new Error(`${tool} ${args.join(' ')} failed (${String(code)}): ${stderr ?? ''}`);
    }
  };
  const port = await freePort();
  // fsync off: the data only has to survive a server stop (the test's fault), not an OS crash.
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c max_connections=50',
  ].join(' ');
  const start = () =>
    run('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      serverOptions,
    ]);
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    // Synchronous: this also runs from the process 'exit' hook. Fails harmlessly when stopped.
    const [cmd, argv] = command('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]);
    spawnSync(cmd, argv, { stdio: 'ignore', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  // pg_ctl detaches the server: make sure a crashed test run leaves nothing behind.
  process.on('exit', destroy);
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    await start();
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop(mode = 'fast') {
      await run('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', data]);
    },
    start,
    destroy,
  };
}
