import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import {
  createSubgraphServer,
  type RunningSubgraph,
} from '../../../../subgraphs/shared/subgraph-server.ts';
import { createPrincipalVerifier } from '../../../../subgraphs/shared/forwarded-principal.ts';
import { TEST_PRINCIPAL_SECRETS } from '../../../helpers/principal.ts';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@external", "@requires", "@shareable"])';

/**
 * Four subgraphs shaped like the public benchmark (accounts, reviews, products, inventory) plus
 * features the executor must shape exactly: an interface and a union at the root, an enum, a
 * non-null list whose field fails in an entity fetch (null bubbling to a nullable list item), errors inside `_entities` (hydrated
 * paths), `@requires`, and a fifth subgraph (`ratings`) that is never started.
 */
const SDL = {
  accounts: `${LINK}
    type Query {
      me: User
      ghost: User
      users: [User]!
      user(id: ID!): User
      node(id: ID!): Node
      search(term: String!): [SearchResult!]!
      failing: String
      strict: String!
    }
    type Mutation { touch: Int }
    interface Node { id: ID! }
    enum Role { ADMIN MEMBER }
    type User implements Node @key(fields: "id") { id: ID! name: String! username: String role: Role! }
    type Org implements Node @key(fields: "id") { id: ID! title: String! }
    union SearchResult = User | Org`,
  reviews: `${LINK}
    type User @key(fields: "id") { id: ID! reviews: [Review!] strictReviews: [Review!]! }
    type Review { id: ID! body: String! stars: Int product: Product author: User }
    type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 3): [Product!]! }
    type Product @key(fields: "upc") { upc: String! name: String! price: Int weight: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      price: Int @external
      weight: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  ratings: `${LINK}
    type Product @key(fields: "upc") { upc: String! rating: Float }`,
};

type Ref = Record<string, unknown>;
const users = [
  { id: '1', name: 'Ada', username: '@ada', role: 'ADMIN' },
  { id: '2', name: 'Bo', username: null, role: 'MEMBER' },
  { id: '3', name: 'Cy', username: '@cy', role: 'MEMBER' },
];
const products = [1, 2, 3, 4, 5].map((n) => ({
  upc: `p${n}`,
  name: `product ${n}`,
  price: n * 100,
  weight: n % 2 === 0 ? null : n * 10,
}));
const reviewsOf = (userId: string) =>
  [1, 2].map((n) => ({
    id: `r${userId}-${n}`,
    body: `review ${n} by ${userId}`,
    stars: userId === '2' && n === 2 ? null : n + 2,
    product: { upc: `p${((Number(userId) + n) % 5) + 1}` },
    author: { id: userId },
  }));

function reviewsOfAvailable(userId: string) {
  if (userId === '3') {
    throw new GraphQLError('reviews of user 3 are unavailable', {
      extensions: { code: 'REVIEWS_UNAVAILABLE' },
    });
  }
  return reviewsOf(userId);
}

function resolversFor(name: keyof typeof SDL, state: { touches: number }): Record<string, unknown> {
  switch (name) {
    case 'accounts':
      return {
        Query: {
          me: () => users[0],
          ghost: () => ({ id: '9', name: 'Ghost', username: null, role: 'MEMBER' }),
          users: () => users,
          user: (_: unknown, { id }: { id: string }) => users.find((u) => u.id === id) ?? null,
          node: (_: unknown, { id }: { id: string }) =>
            id.startsWith('o')
              ? { __typename: 'Org', id, title: `org ${id}` }
              : users.find((u) => u.id === id),
          search: () => [users[1], { __typename: 'Org', id: 'o1', title: 'org o1' }, users[2]],
          failing: () => {
            throw new GraphQLError('accounts failed on purpose', {
              extensions: { code: 'NOT_FOUND' },
            });
          },
          strict: () => null,
        },
        Mutation: { touch: () => (state.touches += 1) },
        Node: { __resolveType: (node: Ref) => (node.__typename as string) ?? 'User' },
        SearchResult: { __resolveType: (node: Ref) => (node.__typename as string) ?? 'User' },
        User: { __resolveReference: (ref: Ref) => users.find((u) => u.id === ref.id) },
      };
    case 'reviews':
      return {
        User: {
          // User 9 is unknown here: its entity comes back null without an error.
          __resolveReference: (ref: Ref) => (ref.id === '9' ? null : { id: ref.id }),
          reviews: (user: Ref) => reviewsOfAvailable(user.id as string),
          strictReviews: (user: Ref) => reviewsOfAvailable(user.id as string),
        },
        Product: {
          __resolveReference: (ref: Ref) => ref,
          reviews: (product: Ref) => reviewsOf('1').filter((r) => r.product.upc === product.upc),
        },
      };
    case 'products':
      return {
        Query: {
          topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
        },
        Product: { __resolveReference: (ref: Ref) => products.find((p) => p.upc === ref.upc) },
      };
    case 'inventory':
      return {
        Product: {
          __resolveReference: (ref: Ref) => ref,
          inStock: (p: Ref) => p.upc !== 'p2',
          shippingEstimate: (p: Ref) =>
            p.weight == null
              ? null
              : Math.round(((p.price as number) * (p.weight as number)) / 100),
        },
      };
    default:
      return {};
  }
}

export type ExecutionFederation = {
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
  /** How many times `Mutation.touch` ran. */
  touches(): number;
  close(): Promise<void>;
};

/** The fixture's supergraph, routing each subgraph to `urls[name]`. */
export function composeExecutionSupergraph(urls: Record<string, string>): string {
  const composed = composeServices(
    Object.entries(SDL).map(([name, sdl]) => ({ name, url: urls[name]!, typeDefs: parse(sdl) })),
  );
  if (composed.errors) throw new Error(composed.errors.map(String).join('\n'));
  return composed.supergraphSdl!;
}

/** Starts accounts, reviews, products and inventory; `ratings` points at a port nobody serves. */
export async function startExecutionFederation(): Promise<ExecutionFederation> {
  const state = { touches: 0 };
  const running: RunningSubgraph[] = [];
  const urls: Record<string, string> = {};
  for (const name of ['accounts', 'reviews', 'products', 'inventory'] as const) {
    const server = await createSubgraphServer({
      name,
      schema: buildSubgraphSchema([
        { typeDefs: parse(SDL[name]), resolvers: resolversFor(name, state) as never },
      ]),
      context: () => ({}),
      verifyPrincipal: createPrincipalVerifier({ secrets: TEST_PRINCIPAL_SECRETS }),
    }).listen(0);
    running.push(server);
    urls[name] = server.url;
  }
  // Port 9 (discard) on loopback: nothing listens, so every fetch is refused.
  urls.ratings = 'http://127.0.0.1:9/graphql';
  return {
    supergraphSdl: composeExecutionSupergraph(urls),
    subgraphUrls: urls,
    touches: () => state.touches,
    async close() {
      await Promise.all(running.map((s) => s.close()));
    },
  };
}
