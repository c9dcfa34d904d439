import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * `npm start`: the whole stack on the embedded default, one process per piece (emulated
 * back-ends, four subgraphs, gateway), as it runs in production. Prints one `ready` line with the
 * gateway URL once /health/ready answers 200; SIGINT/SIGTERM stop every piece.
 */
const pieces: { name: string; entry: string }[] = [
  { name: 'backends', entry: 'backends/index.ts' },
  { name: 'promotion', entry: 'subgraphs/promotion/index.ts' },
  { name: 'pricing', entry: 'subgraphs/pricing/index.ts' },
  { name: 'inventory', entry: 'subgraphs/inventory/index.ts' },
  { name: 'funding', entry: 'subgraphs/funding/index.ts' },
  { name: 'gateway', entry: 'gateway/index.ts' },
];

const started = Date.now();
const gatewayPort = process.env.PORT ?? '4000';
const gatewayBase = `http://127.0.0.1:${gatewayPort}`;
const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixLines(
  name: string,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

for (const piece of pieces) {
  const child = spawn(process.execPath, ['--import', 'tsx', piece.entry], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(piece.name, child);
  prefixLines(piece.name, child.stdout!, process.stdout);
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

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

for (let attempt = 0; !stopping; attempt++) {
  try {
    const res = await fetch(`${gatewayBase}/health/ready`);
    if (res.status === 200) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `[stack] ready in ${seconds}s: ${gatewayBase}/graphql ` +
          (process.env.DATABASE_URL
            ? '(PostgreSQL store from DATABASE_URL)'
            : '(embedded default: PGlite store and in-process event bus, one instance only)'),
      );
      break;
    }
  } catch {
    // not listening yet
  }
  if (attempt > 600) {
    console.error('[stack] not ready after 60 s; stopping');
    await stop(1);
  }
  await delay(100);
}
