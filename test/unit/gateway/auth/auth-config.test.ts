import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { readGatewayConfig } from '../../../../gateway/config.ts';

describe('gateway config: auth settings', () => {
  test('defaults: policies/auth.yaml, no HS256 secret, auth enabled', () => {
    const config = readGatewayConfig({});
    assert.equal(config.authPolicyPath, resolve('policies/auth.yaml'));
    assert.equal(config.authHs256Secret, undefined);
    assert.equal(config.authDisabled, false);
  });

  test('reads AUTH_POLICY_PATH, AUTH_HS256_SECRET and AUTH_DISABLED', () => {
    const config = readGatewayConfig({
      AUTH_POLICY_PATH: 'other/auth.yaml',
      AUTH_HS256_SECRET: 's3cret',
      AUTH_DISABLED: 'true',
    });
    assert.equal(config.authPolicyPath, resolve('other/auth.yaml'));
    assert.equal(config.authHs256Secret, 's3cret');
    assert.equal(config.authDisabled, true);
    assert.equal(readGatewayConfig({ AUTH_DISABLED: '0' }).authDisabled, false);
  });

  test('refuses an AUTH_DISABLED that is not a boolean', () => {
    assert.throws(() => readGatewayConfig({ AUTH_DISABLED: 'yes' }), {
      message: 'AUTH_DISABLED must be true or false, got "yes"',
    });
  });
});
