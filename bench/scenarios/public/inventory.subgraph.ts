import type { BenchSubgraph } from '../bench-subgraph.ts';
import { PUBLIC_LINK } from './public-link.ts';
import { IN_STOCK } from './public-data.ts';

type InventoryProduct = { upc: string; inStock: boolean | null; price?: number; weight?: number };

/**
 * inventory: stock by upc and a shipping estimate that `@requires` price and weight
 * (BENCH-ANCHOR §3.2). Like the public Rust subgraph, the entity resolver keeps only the upc of the
 * representation, so `shippingEstimate` is always null in the benchmark's expected response.
 */
export const inventorySubgraph: BenchSubgraph = {
  name: 'inventory',
  typeDefs: /* GraphQL */ `
    ${PUBLIC_LINK}

    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }
  `,
  resolvers: {
    Product: {
      __resolveReference: (ref: { upc: string }): InventoryProduct => ({
        upc: ref.upc,
        inStock: IN_STOCK.get(ref.upc) ?? null,
      }),
      // The nominal rule: free above 1000, otherwise half the weight.
      shippingEstimate: (product: InventoryProduct) =>
        product.price === undefined || product.weight === undefined
          ? null
          : product.price > 1000
            ? 0
            : Math.trunc(product.weight / 2),
    },
  },
};
