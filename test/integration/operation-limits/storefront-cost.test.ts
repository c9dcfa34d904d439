import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

/** The storefront's listing query (README quickstart shape) for `count` SKUs. */
function listing(count: number): { query: string; variables: Record<string, unknown> } {
  return {
    query: `query($skus: [String!]!) {
      eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: $skus) {
        sku
        product {
          name
          price(locationId: "S001", channel: ECOMMERCE) { amount { amount currency } }
          availability(locationIds: ["S001"]) { status availableToPromise }
        }
        offers { promotionId promotionalPrice { amount currency } }
      }
    }`,
    variables: {
      skus: Array.from({ length: count }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`),
    },
  };
}

describe('cost limits let the storefront run its real listing', () => {
  let stack: TestStack;
  const channelApp = devToken({
    subject: 'web-1',
    tokenClass: 'channel-app',
    channel: 'ECOMMERCE',
    scopes: ['eligibility:read', 'pricing:read', 'inventory:read'],
  });
  before(async () => {
    // The committed policy, as `npm start` runs it.
    const policy = loadOperationsPolicy('policies/operations.yaml', {
      knownTokenClasses: ['channel-app', 'partner', 'internal'],
    });
    stack = await startTestStack({ skus: 40, locations: 3, vendors: 2, operations: () => policy });
  });
  after(async () => stack?.close());

  test('20 SKUs in one store is within the channel-app cost limit (sized by the skus sent)', async () => {
    const { query, variables } = listing(20);
    const res = await stack.query<{ eligiblePromotions: unknown[] }>(query, variables, {
      token: channelApp,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body.errors));
    assert.equal(res.body.errors, undefined);
    assert.equal(res.body.data!.eligiblePromotions.length, 20);
  });

  test('the same listing for 200 SKUs is over it: OPERATION_LIMIT_EXCEEDED with the measure', async () => {
    const before = stack.executions();
    const { query, variables } = listing(200);
    const res = await stack.query(query, variables, { token: channelApp });
    assert.equal(res.status, 400);
    const error = res.body.errors![0]!;
    assert.equal(error.extensions?.code, 'OPERATION_LIMIT_EXCEEDED');
    assert.equal(error.extensions?.limitName, 'cost');
    assert.equal(error.extensions?.limit, 2000);
    assert.ok((error.extensions?.measured as number) > 2000);
    assert.equal(stack.executions(), before);
  });
});
