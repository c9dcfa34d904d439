import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import {
  buildSchema,
  createResolversMap,
  getMetadataStorage,
  type BuildSchemaOptions,
} from 'type-graphql';
import { rejectControlCharacters } from './control-characters.ts';

/**
 * Federation directives every subgraph may use; the supergraph links federation v2.6. The
 * access-control ones (shared/access-control.ts) are enforced by the gateway before planning.
 */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@authenticated", "@requiresScopes", "@policy"])`;

export type ReferenceResolvers = Record<
  string,
  { __resolveReference: (...args: never[]) => unknown }
>;

/**
 * Builds a federation 2 subgraph schema from type-graphql classes: type-graphql builds the
 * executable schema, its SDL (with `@key` & co. as applied directives) is re-read by
 * `buildSubgraphSchema`, and the resolvers are carried over with the entity reference resolvers.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  putArgumentsInDeclarationOrder();
  resolvePlainFieldsByDefault();
  const schema = await buildSchema({
    ...options,
    skipCheck: true,
    validate: false,
  });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  rejectControlCharacters(schema, resolvers as Record<string, Record<string, unknown>>);
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference } as never;
  }
  return buildSubgraphSchema([
    {
      typeDefs: gql`
        ${FEDERATION_LINK}
        ${printSchemaWithDirectives(schema)}
      `,
      resolvers,
    },
  ]);
}

/**
 * Parameter decorators run right to left, so type-graphql records `(id, expectedVersion)` as
 * `(expectedVersion, id)` and would print the arguments reversed in the SDL. Resolvers receive
 * their parameters by index either way; this only fixes the order the contract shows.
 */
function putArgumentsInDeclarationOrder(): void {
  const storage = getMetadataStorage() as unknown as { params: { index: number }[] };
  storage.params.sort((a, b) => a.index - b.index);
}

type FieldMetadata = { name: string; schemaName: string; simple?: boolean };
type FieldStorage = {
  fields: FieldMetadata[];
  middlewares: unknown[];
  resolverMiddlewares: unknown[];
  authorizedFields: unknown[];
};

/**
 * type-graphql wraps every plain `@Field` in a resolver that runs its (here: empty) middleware
 * chain per value; graphql-js's default resolver reads the same property without it (in the
 * storefront profile that chain was about 4 % of a subgraph's CPU). So every plain field whose
 * GraphQL name is its property name resolves by default, as type-graphql's own `simple: true`
 * does, unless anything declares middlewares or `@Authorized` (this schema uses neither: access
 * is the directives' and field-access.ts's), in which case nothing changes.
 */
function resolvePlainFieldsByDefault(): void {
  const storage = getMetadataStorage() as unknown as FieldStorage;
  const chained =
    storage.middlewares.length +
    storage.resolverMiddlewares.length +
    storage.authorizedFields.length;
  if (chained > 0) return;
  for (const field of storage.fields) {
    if (field.simple === undefined && field.schemaName === field.name) field.simple = true;
  }
}
