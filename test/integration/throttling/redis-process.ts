import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { freePort } from '../../helpers/free-port.ts';

/** The shared Redis of the development and CI machines (shared/design/interfaces.md). */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';
const START_SHARED =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';

/** Whether a Redis answers PING at `url` (within 2 s). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * `undefined` when the shared Redis answers, else the skip message naming the start command;
 * under CI=true a missing Redis is a failure (throws).
 */
export async function sharedRedisSkipReason(): Promise<string | undefined> {
  if (await redisAnswers(SHARED_REDIS_URL)) return undefined;
  const reason = `Redis does not answer at ${SHARED_REDIS_URL}; start it with: ${START_SHARED}`;
  if (process.env.CI === 'true') throw new Error(reason);
  return reason;
}

/** `undefined` when `redis-server` can be run, else the skip message (a failure under CI=true). */
export function redisServerSkipReason(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const reason = 'redis-server is not installed (apt-get install redis-server)';
  if (process.env.CI === 'true') throw new Error(reason);
  return reason;
}

/** A private redis-server (no persistence) this test can stop and start again on the same port. */
export type RedisProcess = {
  port: number;
  url: string;
  /** Kills the server (SIGKILL: a crash, not a shutdown) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port; resolves when it accepts connections. */
  start(): Promise<void>;
};

export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    child = spawn('redis-server', [...args, '--daemonize', 'no', '--dir', tmpdir()], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
    };
    await new Promise<void>((resolve, reject) => {
      child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
      child!.stdout!.on('data', (chunk: Buffer) => {
        onData(chunk);
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
    child.removeAllListeners('exit');
    child.stdout!.removeAllListeners('data');
    child.stdout!.resume();
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
    start,
  };
}
