import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { readStackConfig, type StackConfig, type StackPort } from './config.ts';

/**
 * `npm start`: the whole stack on the embedded default, one process per piece (emulated
 * back-ends, four subgraphs, gateway), as it runs in production. Refuses to start, with one line
 * and exit code 1, when a port it would bind is taken (PORT, <SUBGRAPH>_PORT, BACKENDS_PORT move
 * them; ERP_URL follows BACKENDS_PORT unless set). Prints one `ready` line with the gateway URL
 * once every piece it spawned reported its own port and the gateway's /health/ready answers 200.
 * SIGINT/SIGTERM/SIGHUP stop every piece; if `npm start` dies without stopping them (SIGKILL),
 * they stop themselves (exit-with-parent.ts), and so does this process when npm dies.
 */
const pieces: { name: string; entry: string }[] = [
  { name: 'backends', entry: 'backends/index.ts' },
  { name: 'promotion', entry: 'subgraphs/promotion/index.ts' },
  { name: 'pricing', entry: 'subgraphs/pricing/index.ts' },
  { name: 'inventory', entry: 'subgraphs/inventory/index.ts' },
  { name: 'funding', entry: 'subgraphs/funding/index.ts' },
  { name: 'gateway', entry: 'gateway/index.ts' },
];
const READY_TIMEOUT_MS = 120_000;

const started = Date.now();
const children = new Map<string, ChildProcess>();
/** Piece name → the URL the piece itself printed in its `listening on` line. */
const listening = new Map<string, string>();
let stopping = false;

let config: StackConfig;
try {
  config = readStackConfig();
} catch (error) {
  console.error(`[stack] cannot start: ${(error as Error).message}`);
  process.exit(1);
}

/** Whether `host:port` can be bound now (port 0: always). */
function isFree({ host, port }: StackPort): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Best effort: `pid 123 (node ... subgraphs/promotion/index.ts)` of what listens on `port`. */
async function holderOf(port: number): Promise<string | undefined> {
  const run = promisify(execFile);
  let pid: string | undefined;
  try {
    const { stdout } = await run('ss', ['-ltnpH', `sport = :${port}`], { timeout: 2000 });
    pid = /pid=(\d+)/.exec(stdout)?.[1];
  } catch {
    try {
      const { stdout } = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], {
        timeout: 2000,
      });
      pid = /^\d+/m.exec(stdout)?.[0];
    } catch {
      // neither tool: the port alone is named
    }
  }
  if (!pid) return undefined;
  let command = '';
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    command = [basename(argv[0] ?? ''), ...argv.slice(1)].join(' ');
  } catch {
    // not Linux, or gone meanwhile
  }
  return command ? `pid ${pid} (${command})` : `pid ${pid}`;
}

const taken: StackPort[] = [];
for (const port of config.ports) if (!(await isFree(port))) taken.push(port);
if (taken.length > 0) {
  const named = await Promise.all(
    taken.map(async ({ name, port }) => {
      const holder = await holderOf(port);
      return `port ${port} (${name}) is in use${holder ? ` by ${holder}` : ''}`;
    }),
  );
  console.error(
    `[stack] cannot start: ${named.join(', ')}; stop what holds ${taken.length > 1 ? 'them' : 'it'} or set ${taken.map((p) => p.variable).join(', ')}`,
  );
  process.exit(1);
}

function prefixLines(
  name: string,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
  onLine?: (line: string) => void,
): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`[${name}] ${line}\n`);
      onLine?.(line);
    }
  });
}

for (const piece of pieces) {
  // The IPC channel is how a piece notices that this process is gone (exit-with-parent.ts).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './backends/exit-with-parent.ts', piece.entry],
    { env: config.childEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  children.set(piece.name, child);
  prefixLines(piece.name, child.stdout!, process.stdout, (line) => {
    const url = /\blistening on (http[^\s"]+)/.exec(line)?.[1];
    if (url && !listening.has(piece.name)) listening.set(piece.name, url);
  });
  prefixLines(piece.name, child.stderr!, process.stderr);
  child.once('exit', (code, signal) => {
    children.delete(piece.name);
    if (!stopping) {
      console.error(`[stack] ${piece.name} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
}

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map(
    (child) => new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), delay(5000)]);
  for (const child of children.values()) child.kill('SIGKILL');
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => void stop(0));
}
// `npm start` killed outright (SIGKILL) leaves this process to init: stop with it.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) {
    console.error(`[stack] parent process ${parentPid} is gone; stopping the stack`);
    void stop(1);
  }
}, 500).unref();

// Ready only for our own processes: every piece printed the port it bound itself (a stale
// process on that port would have made it exit), and then our gateway answers ready.
while (!stopping) {
  const gatewayUrl = listening.size === pieces.length ? listening.get('gateway') : undefined;
  if (gatewayUrl) {
    try {
      const res = await fetch(new URL('/health/ready', gatewayUrl));
      if (res.status === 200) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`[stack] ready in ${seconds}s: ${gatewayUrl} (${config.store})`);
        break;
      }
    } catch {
      // not answering yet
    }
  }
  if (Date.now() - started > READY_TIMEOUT_MS) {
    const waiting = pieces.filter((p) => !listening.has(p.name)).map((p) => p.name);
    console.error(
      `[stack] not ready after ${READY_TIMEOUT_MS / 1000} s (${waiting.length ? `not listening: ${waiting.join(', ')}` : 'the gateway is not ready'}); stopping`,
    );
    await stop(1);
  }
  await delay(100);
}
