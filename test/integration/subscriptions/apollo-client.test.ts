import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { createDraft, wsClient } from './subscription-kit.ts';

const PROMOTION_STATE_CHANGED = gql`
  subscription PromotionStateChanged($after: String) {
    promotionStateChanged(after: $after) {
      cursor
      kind
      toState
      promotion {
        id
        name
        state
        funding {
          check {
            area
          }
        }
        stockReadiness {
          check {
            area
          }
        }
      }
    }
  }
`;

describe('@apollo/client through the gateway (GraphQLWsLink over graphql-ws)', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('a subscription with cross-subgraph fields receives the merged event of a mutation', async () => {
    const ws = wsClient(stack.gatewayUrl, stack.internalToken);
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    try {
      const start = await createDraft(stack, 'Apollo start');
      const received = new Promise<unknown>((resolve, reject) => {
        const subscription = client
          .subscribe({ query: PROMOTION_STATE_CHANGED, variables: { after: start.eventCursor } })
          .subscribe({
            next(result) {
              subscription.unsubscribe();
              resolve(result);
            },
            error: reject,
          });
      });
      const draft = await createDraft(stack, 'Apollo');
      const result = (await received) as Record<string, unknown>;
      assert.deepEqual(result.data, {
        promotionStateChanged: {
          __typename: 'PromotionEvent',
          cursor: draft.eventCursor,
          kind: 'STATE_CHANGED',
          toState: 'DRAFT',
          promotion: {
            __typename: 'Promotion',
            id: draft.id,
            name: 'Apollo',
            state: 'DRAFT',
            funding: {
              __typename: 'FundingCheck',
              check: { __typename: 'ReadinessCheck', area: 'FUNDING' },
            },
            stockReadiness: {
              __typename: 'InventoryReadiness',
              check: { __typename: 'ReadinessCheck', area: 'INVENTORY' },
            },
          },
        },
      });
      assert.equal(result.error, undefined);
    } finally {
      client.stop();
      await ws.dispose();
    }
  });
});
