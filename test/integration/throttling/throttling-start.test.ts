import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';

/** Runs gateway/index.ts; resolves with its output once it listens (then stops it) or exits. */
function runGateway(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stopping = false;
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (!stopping && /gateway listening on/.test(output)) {
      stopping = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

const dir = mkdtempSync(join(tmpdir(), 'throttling-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('gateway/index.ts with the throttling policy', () => {
  test('refuses to start with a bad policy, naming file, line and field', async () => {
    const file = join(dir, 'throttling.yaml');
    writeFileSync(
      file,
      readFileSync('policies/throttling.yaml', 'utf8').replace(
        'mutationPoints: 1200\n',
        'mutationPoints: 999999\n',
      ),
    );
    const { code, output } = await runGateway({ THROTTLING_POLICY_PATH: file });
    assert.equal(code, 1);
    const shown = relative(process.cwd(), file).startsWith('..')
      ? file
      : relative(process.cwd(), file);
    assert.equal(
      output.trim(),
      `[gateway] cannot start: ${shown}:51: channels.LOYALTY.mutationPoints: expected at most points (120000): the mutation budget is the lower one, got 999999`,
    );
  });

  test('without REDIS_URL: in-memory limits, said at start', async () => {
    const { code, output } = await runGateway({ REDIS_URL: '' });
    assert.equal(code, 0);
    // Its log is JSON lines.
    const said = output
      .split('\n')
      .filter((line) => line.includes('rate limits'))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .map(({ level, msg }) => ({ level, msg }));
    assert.deepEqual(said, [
      {
        level: 'info',
        msg: '[gateway] rate limits: in-process memory (REDIS_URL unset): limits hold for this instance only',
      },
    ]);
  });
});
