import type { BenchSubgraph } from '../bench-subgraph.ts';
import { PUBLIC_LINK } from './public-link.ts';
import { USERS, type UserRecord } from './public-data.ts';

const byId = new Map(USERS.map((user) => [user.id, user]));

/** accounts: users, looked up by id (BENCH-ANCHOR §3.2). */
export const accountsSubgraph: BenchSubgraph = {
  name: 'accounts',
  typeDefs: /* GraphQL */ `
    ${PUBLIC_LINK}

    extend type Query {
      me: User
      user(id: ID!): User
      users: [User]
    }

    type User @key(fields: "id") {
      id: ID!
      name: String
      username: String @shareable
      birthday: Int
    }
  `,
  resolvers: {
    Query: {
      me: (): UserRecord => USERS[0]!,
      user: (_: unknown, args: { id: string }) => byId.get(args.id) ?? null,
      users: () => USERS,
    },
    User: {
      __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null,
    },
  },
};
