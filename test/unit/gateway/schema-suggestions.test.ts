import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import { schemaSuggestionsPlugin } from '../../../gateway/plugins/schema-suggestions.ts';
import type { GatewayContext, Principal } from '../../../gateway/principal.ts';

const typeDefs = `
  enum Channel { ECOMMERCE MOBILE }
  type Query { promotion(id: ID!): String  promotions(channel: Channel): [String!]! }
`;
const internal: Principal = { subject: 'i', tokenClass: 'internal', scopes: [] };
const channelApp: Principal = { subject: 'c', tokenClass: 'channel-app', scopes: [] };

async function messages(
  query: string,
  principal: Principal | undefined,
  plugin = schemaSuggestionsPlugin(),
  variables?: Record<string, unknown>,
) {
  const server = new ApolloServer<GatewayContext>({ typeDefs, plugins: [plugin] });
  await server.start();
  try {
    const response = await server.executeOperation(
      { query, ...(variables ? { variables } : {}) },
      { contextValue: principal ? { principal } : {} },
    );
    assert.equal(response.body.kind, 'single');
    return (response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : []).map(
      (e) => e.message,
    );
  } finally {
    await server.stop();
  }
}

describe('schemaSuggestionsPlugin', () => {
  const unknownField = '{ promotionz }';
  const withSuggestion =
    'Cannot query field "promotionz" on type "Query". Did you mean "promotion" or "promotions"?';

  test('anonymous and non-internal callers get no suggestions', async () => {
    for (const principal of [undefined, channelApp]) {
      assert.deepEqual(await messages(unknownField, principal), [
        'Cannot query field "promotionz" on type "Query".',
      ]);
    }
  });

  test('enum values in variables lose their suggestion too', async () => {
    assert.deepEqual(
      await messages('query($c: Channel) { promotions(channel: $c) }', channelApp, undefined, {
        c: 'ECOMMERC',
      }),
      [
        'Variable "$c" got invalid value "ECOMMERC"; Value "ECOMMERC" does not exist in "Channel" enum.',
      ],
    );
  });

  test('callers who may introspect keep them', async () => {
    assert.deepEqual(await messages(unknownField, internal), [withSuggestion]);
  });

  test('follows the introspection policy it is given', async () => {
    const plugin = schemaSuggestionsPlugin({
      introspection: () => ({ tokenClasses: ['channel-app'], anonymous: true }),
    });
    assert.deepEqual(await messages(unknownField, channelApp, plugin), [withSuggestion]);
    assert.deepEqual(await messages(unknownField, undefined, plugin), [withSuggestion]);
    assert.deepEqual(await messages(unknownField, internal, plugin), [
      'Cannot query field "promotionz" on type "Query".',
    ]);
  });
});
