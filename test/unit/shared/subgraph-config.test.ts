import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEV_PRINCIPAL_SECRET } from '../../../contracts/protocol/principal-token.ts';
import {
  DEV_CHANNEL_SIGNING_SECRET,
  readSubgraphConfig,
} from '../../../subgraphs/shared/config.ts';

const PRINCIPAL_SIGNING_SECRET = 'production-principal-secret-for-this-test-only';
const CHANNEL_SIGNING_SECRET = 'production-channel-signing-secret';
const PRODUCTION = { NODE_ENV: 'production', PRINCIPAL_SIGNING_SECRET, CHANNEL_SIGNING_SECRET };

describe('subgraph config: what production refuses', () => {
  test('a complete production configuration is read', () => {
    const config = readSubgraphConfig(PRODUCTION, 'promotion');
    assert.equal(config.channelSigningSecret, CHANNEL_SIGNING_SECRET);
    assert.deepEqual(config.principalSecrets, [PRINCIPAL_SIGNING_SECRET]);
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
