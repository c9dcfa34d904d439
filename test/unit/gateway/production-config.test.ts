import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readGatewayConfig } from '../../../gateway/config.ts';

const METRICS_TOKEN = 'metrics-token-for-this-test-0123456789';
/** A production configuration that starts: each test below breaks one thing. */
const PRODUCTION = {
  NODE_ENV: 'production',
  PRINCIPAL_SIGNING_SECRET: 'production-principal-secret-for-this-test-only',
  METRICS_TOKEN,
};

describe('gateway config: what production refuses', () => {
  test('a complete production configuration is read', () => {
    const config = readGatewayConfig(PRODUCTION);
    assert.equal(config.environment, 'production');
    assert.equal(config.metricsToken, METRICS_TOKEN);
    assert.equal(config.authDisabled, false);
    assert.equal(config.throttlingDisabled, false);
    assert.equal(config.operationLimitsDisabled, false);
  });

  for (const name of ['AUTH_DISABLED', 'THROTTLING_DISABLED', 'OPERATION_LIMITS_DISABLED']) {
    test(`${name}=true is refused in production, allowed =false and in development`, () => {
      for (const on of ['true', '1']) {
        assert.throws(() => readGatewayConfig({ ...PRODUCTION, [name]: on }), {
          message: `${name} is for benchmarks only and refused when NODE_ENV=production: unset it or set ${name}=false`,
        });
      }
      assert.doesNotThrow(() => readGatewayConfig({ ...PRODUCTION, [name]: 'false' }));
      assert.doesNotThrow(() => readGatewayConfig({ ...PRODUCTION, [name]: '' }));
      for (const NODE_ENV of ['development', 'test']) {
        assert.doesNotThrow(() => readGatewayConfig({ NODE_ENV, [name]: 'true' }));
      }
    });
  }

  test('METRICS_TOKEN is required in production', () => {
    for (const METRICS_TOKEN of [undefined, '']) {
      assert.throws(() => readGatewayConfig({ ...PRODUCTION, METRICS_TOKEN }), {
        message:
          'METRICS_TOKEN must be set when NODE_ENV=production: the bearer token (at least 32 characters) GET /metrics requires',
      });
    }
  });

  test('METRICS_TOKEN is optional in development (unset: /metrics open) and at least 32 characters', () => {
    assert.equal(readGatewayConfig({}).metricsToken, undefined);
    assert.equal(readGatewayConfig({ METRICS_TOKEN }).metricsToken, METRICS_TOKEN);
    for (const env of [
      { METRICS_TOKEN: 'short' },
      { ...PRODUCTION, METRICS_TOKEN: 'x'.repeat(31) },
    ]) {
      assert.throws(() => readGatewayConfig(env), {
        message: 'METRICS_TOKEN must be at least 32 characters',
      });
    }
  });

  test('PRINCIPAL_SIGNING_SECRET: required in production, never the development default', () => {
    assert.throws(() => readGatewayConfig({ ...PRODUCTION, PRINCIPAL_SIGNING_SECRET: '' }), {
      message: 'PRINCIPAL_SIGNING_SECRET must be set when NODE_ENV=production',
    });
    assert.throws(
      () =>
        readGatewayConfig({
          ...PRODUCTION,
          PRINCIPAL_SIGNING_SECRET: 'dev-only-principal-signing-secret-change-me',
        }),
      { message: 'PRINCIPAL_SIGNING_SECRET must not be the development default in production' },
    );
  });
});
