import { spawn } from 'node:child_process';

export type StartedGateway = {
  url: string;
  /** What it wrote to standard output so far: its JSON log lines. */
  stdout(): string;
  stderr(): string;
  stop(): Promise<number | null>;
};
export type ExitedGateway = { code: number | null; stderr: string };

/**
 * Runs gateway/index.ts (the real entry point) on PORT=0 with a production base environment
 * (NODE_ENV, PRINCIPAL_SIGNING_SECRET and METRICS_TOKEN for tests only) plus `env`, and resolves
 * once it prints the URL it listens on, or with its exit code and stderr when it exits first.
 */
export function startGatewayProcess(
  env: Record<string, string>,
): Promise<StartedGateway | ExitedGateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      NODE_ENV: 'production',
      PRINCIPAL_SIGNING_SECRET: 'production-principal-secret-for-this-test-only',
      METRICS_TOKEN: 'metrics-token-for-this-test-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      const url = /gateway listening on (http[^\s"]+)/.exec(stdout)?.[1];
      if (url) {
        resolve({
          url,
          stdout: () => stdout,
          stderr: () => stderr,
          stop: () => (child.kill('SIGTERM'), exited),
        });
      }
    });
    void exited.then((code) => resolve({ code, stderr }));
  });
}
