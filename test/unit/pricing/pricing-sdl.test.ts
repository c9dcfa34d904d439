import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildPricingSchema } from '../../../subgraphs/pricing/server.ts';

describe('pricing SDL', () => {
  test('prints with printSubgraphSchema and carries the federation contract', async () => {
    const sdl = printSubgraphSchema(await buildPricingSchema());
    const expected = [
      'type Product @key(fields: "sku") {',
      'price(locationId: ID, channel: SalesChannel = ECOMMERCE, at: DateTime): Price',
      'cost(locationId: ID): Money',
      'marginFloor(locationId: ID): MarginFloor',
      'type Price @shareable {',
      'enum PriceKind {',
      'enum MarginBasis {',
      'type Promotion @key(fields: "id") {',
      'terms: PromotionTerms! @external',
      'priceImpact: PriceImpact @requires(fields: "terms { skus locationIds channels startsAt offerKind percentOff ' +
        'amountOff { amount currency } fixedPrice { amount currency } buyQuantity getQuantity getDiscountPercent ' +
        'bundlePrice { amount currency } currency expectedUnitsBySku { sku quantity } }")',
      'type EligibleOffer @key(fields: "promotionId sku locationId channel") {',
      'regularPrice: Money @requires(fields: "bundleSkus terms { offerKind percentOff amountOff { amount currency } ' +
        'fixedPrice { amount currency } buyQuantity getQuantity getDiscountPercent bundlePrice { amount currency } currency }")',
      'price(sku: String!, storeId: ID!, channel: SalesChannel!): Price',
      'product(sku: String!): Product',
      'products(skus: [String!]!): [Product]!',
      'union _Entity = EligibleOffer | Product | Promotion',
    ];
    for (const line of expected) assert.ok(sdl.includes(line), `SDL lacks: ${line}`);
  });
});
