import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakingChanges } from '../../../contracts/tools/breaking-changes.ts';

const released = `type Query { price(sku: String!): Price }
type Price @shareable { amount: String! validTo: String }`;

test('an added field is not a breaking change', () => {
  assert.deepEqual(
    breakingChanges(released, `${released}\nextend type Price { kind: String }`),
    [],
  );
});

test('a removed field and a newly required argument are breaking', () => {
  const current = `type Query { price(sku: String!, storeId: ID!): Price }
type Price @shareable { amount: String! }`;
  assert.deepEqual(
    breakingChanges(released, current).map((c) => `${c.type}: ${c.description}`),
    [
      'REQUIRED_ARG_ADDED: A required arg storeId on Query.price was added.',
      'FIELD_REMOVED: Price.validTo was removed.',
    ],
  );
});

test('importing a federation directive (its definition renamed) is not a breaking change', () => {
  const before = `${released}\ndirective @federation__requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION`;
  const after = `${released}\ndirective @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION`;
  assert.deepEqual(breakingChanges(before, after), []);
  assert.deepEqual(
    breakingChanges(after, before).map((c) => c.description),
    ['requiresScopes was removed.'],
  );
});
