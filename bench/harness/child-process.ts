import { spawn, type ChildProcess } from 'node:child_process';

export type ChildSpec = {
  /** Shown in logs and errors. */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  /** Added to (and overriding) the harness's own environment. */
  env?: Record<string, string>;
};

export type ManagedChild = {
  name: string;
  pid: number;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  logTail(): string;
  /** Rejects once the process has exited (used to stop waiting for an early-dying child). */
  exited: Promise<never>;
  stop(): Promise<void>;
};

const LOG_LINES = 40;
const running = new Set<ChildProcess>();

// Children never outlive the harness, whatever ends it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts one child process and keeps the tail of its output. */
export function startChild(spec: ChildSpec): ManagedChild {
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > LOG_LINES) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitedCleanly = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (!exitedCleanly) {
        reject(
          new Error(
            `${spec.name} exited (${signal ?? `code ${code}`}):\n${lines.join('\n') || '(no output)'}`,
          ),
        );
      }
    });
  });
  exited.catch(() => undefined);
  return {
    name: spec.name,
    pid: child.pid,
    logTail: () => lines.join('\n'),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      exitedCleanly = true;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `url` until it answers with a status below 500, failing early when the child dies and
 * after `timeoutMs`.
 */
export async function waitForHttp(
  child: ManagedChild | undefined,
  url: string,
  init: RequestInit,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await Promise.race([
        fetch(url, { ...init, signal: AbortSignal.timeout(2000) }),
        ...(child ? [child.exited] : []),
      ]);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch (error) {
      if (child && (error as Error).message.startsWith(`${child.name} exited`)) throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${child?.name ?? url} did not answer on ${url} within ${timeoutMs / 1000} s` +
          (child ? `:\n${child.logTail()}` : ''),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
