import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { readGatewayConfig } from '../../../../gateway/config.ts';
import { createLimiterStore } from '../../../../gateway/throttling/create-limiter-store.ts';

describe('gateway config: throttling', () => {
  test('defaults: policies/throttling.yaml, no key prefix', () => {
    const config = readGatewayConfig({});
    assert.equal(config.throttlingPolicyPath, resolve('policies/throttling.yaml'));
    assert.equal(config.throttlingKeyPrefix, '');
  });

  test('reads THROTTLING_POLICY_PATH and THROTTLING_KEY_PREFIX', () => {
    const config = readGatewayConfig({
      THROTTLING_POLICY_PATH: 'other/throttling.yaml',
      THROTTLING_KEY_PREFIX: 'staging',
    });
    assert.equal(config.throttlingPolicyPath, resolve('other/throttling.yaml'));
    assert.equal(config.throttlingKeyPrefix, 'staging');
  });

  test('memory store without REDIS_URL, Redis store with it, and says which', async () => {
    const logs: string[] = [];
    const memory = createLimiterStore({ log: (line) => logs.push(line) });
    assert.equal(memory.kind, 'memory');
    // lazily connecting: no Redis needs to answer for the choice to be made and logged
    const redis = createLimiterStore({
      redisUrl: 'redis://user:secret@127.0.0.1:1',
      log: (line) => logs.push(line),
    });
    assert.equal(redis.kind, 'redis');
    await redis.close();
    await memory.close();
    assert.deepEqual(logs.slice(0, 2), [
      '[gateway] rate limits: in-process memory (REDIS_URL unset): limits hold for this instance only',
      '[gateway] rate limits: Redis at 127.0.0.1:1, shared by every instance (in-memory insurance while it is down)',
    ]);
  });
});
