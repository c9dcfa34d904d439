import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEV_PRINCIPAL_SECRET } from '../../../contracts/protocol/principal-token.ts';
import {
  DEV_CHANNEL_SIGNING_SECRET,
  readSubgraphConfig,
} from '../../../subgraphs/shared/config.ts';

const PRINCIPAL_SIGNING_SECRET = 'production-principal-secret-for-this-test-only';
const CHANNEL_SIGNING_SECRET = 'production-channel-signing-secret';
const METRICS_TOKEN = 'production-metrics-token-for-this-test-only';
const PRODUCTION = {
  NODE_ENV: 'production',
  PRINCIPAL_SIGNING_SECRET,
  CHANNEL_SIGNING_SECRET,
  METRICS_TOKEN,
};

describe('subgraph config: what production refuses', () => {
  test('a complete production configuration is read', () => {
    const config = readSubgraphConfig(PRODUCTION, 'promotion');
    assert.equal(config.channelSigningSecret, CHANNEL_SIGNING_SECRET);
    assert.deepEqual(config.principalSecrets, [PRINCIPAL_SIGNING_SECRET]);
  });

  test('every subgraph requires METRICS_TOKEN in production, as the gateway does; db:migrate does not', () => {
    for (const name of ['promotion', 'pricing', 'inventory', 'funding'] as const) {
      assert.throws(() => readSubgraphConfig({ ...PRODUCTION, METRICS_TOKEN: '' }, name), {
        message:
          'METRICS_TOKEN must be set when NODE_ENV=production: the bearer token (at least 32 characters) GET /metrics requires',
      });
    }
    assert.equal(readSubgraphConfig({ ...PRODUCTION, METRICS_TOKEN: '' }).metricsToken, undefined);
    assert.equal(readSubgraphConfig(PRODUCTION, 'pricing').metricsToken, METRICS_TOKEN);
  });

  test('the promotion subgraph requires CHANNEL_SIGNING_SECRET in production', () => {
    for (const CHANNEL_SIGNING_SECRET of [undefined, '']) {
      assert.throws(
        () => readSubgraphConfig({ ...PRODUCTION, CHANNEL_SIGNING_SECRET }, 'promotion'),
        {
          message:
            'CHANNEL_SIGNING_SECRET must be set when NODE_ENV=production: the secret your channels verify webhook signatures with',
        },
      );
    }
  });

  test('the promotion subgraph refuses the development CHANNEL_SIGNING_SECRET in production', () => {
    assert.throws(
      () =>
        readSubgraphConfig(
          { ...PRODUCTION, CHANNEL_SIGNING_SECRET: 'dev-channel-signing-secret' },
          'promotion',
        ),
      { message: 'CHANNEL_SIGNING_SECRET must not be the development default in production' },
    );
  });

  test('subgraphs that sign no webhooks, and development, keep the default', () => {
    for (const subgraph of ['pricing', 'inventory', 'funding', undefined] as const) {
      const config = readSubgraphConfig({ ...PRODUCTION, CHANNEL_SIGNING_SECRET: '' }, subgraph);
      assert.equal(config.channelSigningSecret, DEV_CHANNEL_SIGNING_SECRET);
    }
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      const config = readSubgraphConfig({ NODE_ENV }, 'promotion');
      assert.equal(config.channelSigningSecret, 'dev-channel-signing-secret');
      assert.deepEqual(config.principalSecrets, [DEV_PRINCIPAL_SECRET]);
    }
  });

  test('PRINCIPAL_SIGNING_SECRET: required in production, never the development default', () => {
    for (const subgraph of ['promotion', 'pricing'] as const) {
      assert.throws(
        () => readSubgraphConfig({ ...PRODUCTION, PRINCIPAL_SIGNING_SECRET: '' }, subgraph),
        { message: 'PRINCIPAL_SIGNING_SECRET must be set when NODE_ENV=production' },
      );
      assert.throws(
        () =>
          readSubgraphConfig(
            {
              ...PRODUCTION,
              PRINCIPAL_SIGNING_SECRET: `${PRINCIPAL_SIGNING_SECRET},${DEV_PRINCIPAL_SECRET}`,
            },
            subgraph,
          ),
        { message: 'PRINCIPAL_SIGNING_SECRET must not be the development default in production' },
      );
    }
  });
});

describe('subgraph config: the ERP caches', () => {
  test('defaults (policies/caching.yaml): stock seconds, prices minutes, master data longer, what decides money uncached', () => {
    const config = readSubgraphConfig({});
    const windows = (fresh: number, whileRevalidate: number, ifError: number) => ({
      freshMs: fresh,
      staleWhileRevalidateMs: whileRevalidate,
      staleIfErrorMs: ifError,
    });
    assert.deepEqual(config.cachePolicy, {
      stock: windows(10_000, 50_000, 600_000),
      locations: windows(60_000, 600_000, 86_400_000),
      products: windows(300_000, 3_600_000, 86_400_000),
      vendors: windows(300_000, 3_600_000, 86_400_000),
      shelfPrices: windows(60_000, 300_000, 3_600_000),
      prices: windows(0, 0, 0),
      costs: windows(0, 0, 0),
      agreements: windows(0, 0, 0),
    });
    assert.equal(config.cacheMaxEntries, 100_000);
    assert.equal(config.cacheKeyPrefix, undefined);
    assert.equal(config.redisUrl, undefined);
  });

  test("CACHE_TTL_<PORT>_MS overrides a port's fresh window; 0 leaves it uncached, never stale; the size and the Redis namespace are read from the environment", () => {
    const config = readSubgraphConfig({
      CACHE_TTL_STOCK_MS: '0',
      CACHE_TTL_PRICES_MS: '5000',
      CACHE_TTL_SHELF_PRICES_MS: '0',
      CACHE_TTL_AGREEMENTS_MS: '1000',
      CACHE_MAX_ENTRIES: '10',
      CACHE_KEY_PREFIX: 'eu1',
      REDIS_URL: 'redis://cache.internal:6379',
    });
    const { stock, prices, shelfPrices, agreements, locations } = config.cachePolicy;
    assert.deepEqual(
      [stock, shelfPrices].map((p) => [p.freshMs, p.staleWhileRevalidateMs, p.staleIfErrorMs]),
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
    );
    assert.deepEqual([prices.freshMs, agreements.freshMs, prices.staleIfErrorMs], [5000, 1000, 0]);
    assert.equal(locations.freshMs, 60_000);
    assert.equal(locations.staleWhileRevalidateMs, 600_000);
    assert.equal(config.cacheMaxEntries, 10);
    assert.equal(config.cacheKeyPrefix, 'eu1');
    assert.equal(config.redisUrl, 'redis://cache.internal:6379');
  });

  test('a TTL that is not a whole number of milliseconds refuses to start', () => {
    assert.throws(() => readSubgraphConfig({ CACHE_TTL_STOCK_MS: '2s' }), {
      message: 'CACHE_TTL_STOCK_MS must be an integer ≥ 0, got "2s"',
    });
    assert.throws(() => readSubgraphConfig({ CACHE_MAX_ENTRIES: '0' }), {
      message: 'CACHE_MAX_ENTRIES must be an integer ≥ 1, got "0"',
    });
  });

  test('METRICS_TOKEN, as the gateway reads it: unset is none, a short one refuses to start', () => {
    assert.equal(readSubgraphConfig({}).metricsToken, undefined);
    const token = 'metrics-token-0123456789abcdef0123456789';
    assert.equal(readSubgraphConfig({ METRICS_TOKEN: token }).metricsToken, token);
    assert.throws(() => readSubgraphConfig({ METRICS_TOKEN: 'short' }), {
      message: 'METRICS_TOKEN must be at least 32 characters',
    });
  });
});
