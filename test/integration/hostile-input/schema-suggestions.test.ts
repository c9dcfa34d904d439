import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

/**
 * "Did you mean ...?" suggestions name schema coordinates: only callers who may introspect
 * (policies/authorization.yaml: internal tokens) see them (gateway/plugins/schema-suggestions.ts).
 */
describe('schema suggestions in error messages', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 10, locations: 2, vendors: 1 });
  });
  after(async () => stack?.close());

  const TYPO = '{ promotionz(first: 1) { edges { cursor } } }';
  const BAD_ENUM =
    'query($c: SalesChannel!) { eligiblePromotions(channel: $c, storeId: "S001", skus: []) { sku } }';

  test('callers who may not introspect get the errors without suggestions', async () => {
    const channelApp = devToken({
      tokenClass: 'channel-app',
      channel: 'ECOMMERCE',
      scopes: ['promotion:read', 'eligibility:read'],
    });
    for (const token of [null, channelApp]) {
      const typo = await stack.query(TYPO, undefined, { token });
      assert.equal(typo.status, 400);
      assert.deepEqual(
        typo.body.errors?.map((e) => [e.message, e.extensions?.code]),
        [['Cannot query field "promotionz" on type "Query".', 'GRAPHQL_VALIDATION_FAILED']],
      );
      const enumValue = await stack.query(BAD_ENUM, { c: 'ECOMMERC' }, { token });
      assert.equal(enumValue.status, 400);
      assert.deepEqual(
        enumValue.body.errors?.map((e) => e.message),
        [
          'Variable "$c" got invalid value "ECOMMERC"; Value "ECOMMERC" does not exist in "SalesChannel" enum.',
        ],
      );
    }
  });

  test('internal callers (who may introspect) keep them', async () => {
    const typo = await stack.query(TYPO);
    assert.equal(typo.status, 400);
    assert.match(typo.body.errors?.[0]?.message ?? '', /Did you mean "promotion", "promotions"/);
  });
});
