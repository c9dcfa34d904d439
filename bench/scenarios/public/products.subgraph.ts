import type { BenchSubgraph } from '../bench-subgraph.ts';
import { PUBLIC_LINK } from './public-link.ts';
import { PRODUCTS } from './public-data.ts';

const byUpc = new Map(PRODUCTS.map((product) => [product.upc, product]));

/** products: name, price and weight by upc; `topProducts` is the first N (BENCH-ANCHOR §3.2). */
export const productsSubgraph: BenchSubgraph = {
  name: 'products',
  typeDefs: /* GraphQL */ `
    ${PUBLIC_LINK}

    type Product @key(fields: "upc") {
      upc: String!
      name: String
      price: Int
      weight: Int
    }

    extend type Query {
      topProducts(first: Int = 5): [Product]
    }
  `,
  resolvers: {
    Query: {
      topProducts: (_: unknown, args: { first: number }) => PRODUCTS.slice(0, args.first),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => byUpc.get(ref.upc) ?? null,
    },
  },
};
