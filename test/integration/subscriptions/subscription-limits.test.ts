import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { rs256 } from '../../helpers/tokens.ts';
import { wsClient } from './subscription-kit.ts';

describe('subscriptions obey the same operation limits as queries', () => {
  let stack: TestStack;
  before(async () => {
    const policy = loadOperationsPolicy('policies/operations.yaml', {
      knownTokenClasses: ['channel-app', 'partner', 'internal'],
    });
    stack = await startTestStack({ skus: 20, vendors: 2, operations: () => policy });
  });
  after(async () => {
    await stack.close();
  });

  test('an alias flood in a subscription is OPERATION_LIMIT_EXCEEDED with the measure', async () => {
    const token = rs256({
      scope: 'events:subscribe promotion:read',
      token_class: 'channel-app',
      channel: 'ECOMMERCE',
    });
    const client = wsClient(stack.gatewayUrl, token);
    try {
      const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: cursor`).join(' ');
      const events = client.iterate({
        query: `subscription { promotionStateChanged { ${aliases} } }`,
      });
      const failure = await events.next().catch((error: unknown) => error);
      assert.deepEqual(failure, [
        {
          message: 'operation alias count 40 exceeds the limit of 30',
          extensions: {
            code: 'OPERATION_LIMIT_EXCEEDED',
            limitName: 'aliases',
            measured: 40,
            limit: 30,
          },
        },
      ]);
    } finally {
      await client.dispose();
    }
  });
});
