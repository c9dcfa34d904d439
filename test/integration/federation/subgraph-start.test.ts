import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';

/** Runs a subgraph's real entry point until it exits; returns its exit code and stderr. */
function runSubgraph(
  name: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `subgraphs/${name}/index.ts`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('a subgraph with a bad configuration refuses to start with a message', () => {
  for (const [name, env, message] of [
    [
      'pricing',
      { NODE_ENV: 'production', PRINCIPAL_SIGNING_SECRET: '' },
      'PRINCIPAL_SIGNING_SECRET must be set when NODE_ENV=production',
    ],
    [
      'funding',
      { PRINCIPAL_SIGNING_SECRET: 'too-short' },
      'PRINCIPAL_SIGNING_SECRET: every secret must be at least 32 characters',
    ],
    [
      'inventory',
      {
        NODE_ENV: 'production',
        PRINCIPAL_SIGNING_SECRET: 'dev-only-principal-signing-secret-change-me',
      },
      'PRINCIPAL_SIGNING_SECRET must not be the development default in production',
    ],
    [
      'promotion',
      {
        NODE_ENV: 'production',
        PRINCIPAL_SIGNING_SECRET: 'production-principal-secret-for-this-test-only',
        CHANNEL_SIGNING_SECRET: '',
      },
      'CHANNEL_SIGNING_SECRET must be set when NODE_ENV=production: the secret your channels verify webhook signatures with',
    ],
    [
      'promotion',
      {
        NODE_ENV: 'production',
        PRINCIPAL_SIGNING_SECRET: 'production-principal-secret-for-this-test-only',
        CHANNEL_SIGNING_SECRET: 'dev-channel-signing-secret',
      },
      'CHANNEL_SIGNING_SECRET must not be the development default in production',
    ],
  ] as const) {
    test(`${name}: ${message}`, async () => {
      const { code, stderr } = await runSubgraph(name, env);
      assert.equal(code, 1);
      assert.equal(stderr, `[${name}] cannot start: ${message}\n`);
    });
  }
});
