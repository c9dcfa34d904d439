import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from './redis-process.ts';

const INSTANCES = 3;
const WORKERS_PER_INSTANCE = 3;
const REQUESTS_PER_WORKER = 100;
const LIMIT = 600;
const POLICY = `windowSeconds: 3600
channels:
  ECOMMERCE: { points: 1000000, mutationPoints: 1000 }
  MOBILE: { points: 1000000, mutationPoints: 1000 }
  POS: { points: 1000000, mutationPoints: 1000 }
  MARKETPLACE: { points: 1000000, mutationPoints: 1000 }
  LOYALTY: { points: 1000000, mutationPoints: 1000 }
  partner: { points: 1000000, mutationPoints: 1000 }
  internal: { points: 1000000, mutationPoints: 1000 }
  anonymous: { points: ${LIMIT}, mutationPoints: 10 }
partners:
  default: { points: 1000, mutationPoints: 10 }
`;

/** Starts `node --import tsx gateway/index.ts` on port 0; resolves with its URL once it listens. */
async function startGatewayProcess(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /gateway listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${output}`)));
  });
  child.removeAllListeners('exit');
  return { url, child };
}

const skip = await sharedRedisSkipReason();

describe('three gateway processes on one Redis share the limit', { skip: skip ?? false }, () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'throttling-cross-'));
  const gateways: { url: string; child: ChildProcess }[] = [];
  let admin: Redis;

  before(async () => {
    admin = new Redis(SHARED_REDIS_URL);
    const policyPath = join(dir, 'throttling.yaml');
    writeFileSync(policyPath, POLICY);
    const env = {
      PORT: '0',
      NODE_ENV: 'test',
      REDIS_URL: SHARED_REDIS_URL,
      THROTTLING_POLICY_PATH: policyPath,
      THROTTLING_KEY_PREFIX: prefix,
    };
    gateways.push(
      ...(await Promise.all(Array.from({ length: INSTANCES }, () => startGatewayProcess(env)))),
    );
  });
  after(async () => {
    await Promise.all(
      gateways.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
    if (admin) {
      const keys = await admin.keys(`rl:${prefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
  });

  test(`admits the configured ${LIMIT} points within 2% when driven in parallel`, async (t) => {
    const admittedBy = gateways.map(() => 0);
    const statuses = new Map<number, number>();
    await Promise.all(
      gateways.flatMap(({ url }, instance) =>
        Array.from({ length: WORKERS_PER_INSTANCE }, async () => {
          for (let i = 0; i < REQUESTS_PER_WORKER; i++) {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: '{ __typename }' }),
            });
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 200) admittedBy[instance]! += 1;
          }
        }),
      ),
    );
    const admitted = admittedBy.reduce((sum, n) => sum + n, 0);
    const sent = INSTANCES * WORKERS_PER_INSTANCE * REQUESTS_PER_WORKER;
    t.diagnostic(
      `sent ${sent}, admitted ${admitted} (per instance ${admittedBy.join(' / ')}) of a limit of ${LIMIT}: ${(((admitted - LIMIT) / LIMIT) * 100).toFixed(2)}%`,
    );
    assert.deepEqual([...statuses.keys()].sort(), [200, 429]);
    assert.ok(Math.abs(admitted - LIMIT) <= LIMIT * 0.02, `admitted ${admitted}, limit ${LIMIT}`);
    assert.ok(
      admittedBy.every((n) => n > 0),
      'every instance admitted some',
    );
    assert.equal(await admin.get(`rl:${prefix}:channel:anonymous`), String(admitted));
  });
});
