import type { BenchSubgraph } from '../bench-subgraph.ts';
import { PUBLIC_LINK } from './public-link.ts';
import { REVIEWS, type ReviewRecord } from './public-data.ts';

const byId = new Map(REVIEWS.map((review) => [review.id, review]));
/** Every user's reviews are the first two, as in the public subgraph. */
const USER_REVIEWS = REVIEWS.slice(0, 2);

/**
 * reviews: reviews by product, a review's product and author (BENCH-ANCHOR §3.2). As in the public
 * subgraph, a review's author is always user 1 ("urigo", provided), and any user's reviews are the
 * first two reviews.
 */
export const reviewsSubgraph: BenchSubgraph = {
  name: 'reviews',
  typeDefs: /* GraphQL */ `
    ${PUBLIC_LINK}

    type Product @key(fields: "upc") {
      upc: String!
      reviews: [Review]
    }

    type Review @key(fields: "id") {
      id: ID!
      body: String
      product: Product
      author: User @provides(fields: "username")
    }

    type User @key(fields: "id") {
      id: ID!
      username: String @external
      reviews: [Review]
    }
  `,
  resolvers: {
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (product: { upc: string }) =>
        REVIEWS.filter((review) => review.productUpc === product.upc),
    },
    Review: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
      product: (review: ReviewRecord) => ({ upc: review.productUpc }),
      author: () => ({ id: '1', username: 'urigo' }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user' }),
      reviews: () => USER_REVIEWS,
    },
  },
};
