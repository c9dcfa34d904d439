import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** The variables that move each port `npm start` binds (backends/config.ts readStackConfig). */
export const PORT_VARIABLES = [
  'PORT',
  'PROMOTION_PORT',
  'PRICING_PORT',
  'INVENTORY_PORT',
  'FUNDING_PORT',
  'BACKENDS_PORT',
] as const;
export type StackPorts = Record<(typeof PORT_VARIABLES)[number], number>;

/** Ports nothing listens on now (the OS hands out distinct ones while all are held). */
export async function freePorts(): Promise<StackPorts> {
  const servers = await Promise.all(
    PORT_VARIABLES.map(
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, ports[i]!])) as StackPorts;
}

/** Whether `port` on 127.0.0.1 can be bound now. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

/** Polls (no event tells when the OS released a port) until every port binds, or `timeoutMs`. */
export async function portsStillTaken(ports: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken: number[] = [];
    for (const port of ports) if (!(await canBind(port))) taken.push(port);
    if (taken.length === 0 || Date.now() > deadline) return taken;
    await delay(100);
  }
}

export type StackProcess = {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** The gateway URL of its `[stack] ready in ...: <url>` line; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * Runs `command` (npm start, or dev-stack.ts itself) with the ports moved to `ports`. Detached,
 * so that `killGroup` can clean up whatever a failed test leaves behind.
 */
export function startStack(
  command: string,
  args: string[],
  ports: StackPorts,
  env: Record<string, string> = {},
): StackProcess {
  const child = spawn(command, args, {
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const url = /^\[stack\] ready in [\d.]+s: (\S+) /m.exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) =>
      reject(new Error(`the stack exited (${signal ?? code}) before ready:\n${output}`)),
    );
  });
  ready.catch(() => {}); // awaited by the tests; an early exit must not be unhandled
  return { child, output: () => output, ready, exited };
}

/** Safety net after a test: SIGKILL to the stack's own process group, if it is still there. */
export function killGroup(stack: StackProcess): void {
  try {
    process.kill(-stack.child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}
