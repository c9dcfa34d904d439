import { Supergraph, type Schema } from '@apollo/federation-internals';
import { parse, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import { readCostDirectives, type CostDirectives } from './limits/cost-directives.ts';
import {
  readSecurityRequirements,
  stripSecurityDocument,
  type SecurityRequirements,
} from './security/supergraph-security.ts';

/**
 * Everything the gateway derives from one composed supergraph, built once per load (start or
 * reload) and handed whole to whatever reads it: access control, costs, ApolloGateway, the
 * subscription planner. A reload builds a new value and swaps it in; nothing re-parses the SDL.
 */
export type SupergraphArtifacts = {
  /** The composed SDL as read, WITH its security features. */
  readonly sdl: string;
  /** `sdl` parsed (the only parse of it). */
  readonly document: DocumentNode;
  /** `@authenticated` / `@requiresScopes` / `@policy` by coordinate (plugins/authorize.ts). */
  readonly security: SecurityRequirements;
  /** Every scope any `@requiresScopes` names, sorted. */
  readonly scopes: readonly string[];
  /** `@cost` / `@listSize` by coordinate (plugins/operation-limits.ts, throttle.ts). */
  readonly costDirectives: CostDirectives;
  /** The SDL without security features: what ApolloGateway is handed (it refuses them). */
  readonly strippedSdl: string;
  /** The stripped supergraph as federation-internals (subgraphs extracted): planner input. */
  readonly supergraph: Supergraph;
  /** Its API schema as federation-internals, for executeQueryPlan. */
  readonly apiSchema: Schema;
  /** Its API schema as graphql-js: what clients validate against. */
  readonly schema: GraphQLSchema;
  /** The supergraph schema as graphql-js, for executeQueryPlan. */
  readonly supergraphSchema: GraphQLSchema;
  /** Subgraph name → routing URL composed into the supergraph. */
  readonly routingUrls: Readonly<Record<string, string>>;
};

/**
 * Builds the artifacts of one supergraph. Throws, with the first problem, when the gateway
 * cannot run it (syntax, federation, security or cost directive errors): a reload that throws
 * here has changed nothing.
 */
export function buildSupergraphArtifacts(sdl: string): SupergraphArtifacts {
  const document = parse(sdl);
  const stripped = stripSecurityDocument(document);
  const supergraph = Supergraph.build(stripped);
  // Extracting the subgraphs is what finds most inconsistencies (the query planner does it).
  supergraph.subgraphs();
  const security = readSecurityRequirements(document);
  const costDirectives = readCostDirectives(document);
  const apiSchema = supergraph.apiSchema();
  return {
    sdl,
    document,
    security,
    scopes: scopesOf(security),
    costDirectives,
    strippedSdl: stripped === document ? sdl : `${print(stripped)}\n`,
    supergraph,
    apiSchema,
    schema: apiSchema.toGraphQLJSSchema(),
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    routingUrls: Object.fromEntries(
      supergraph.subgraphsMetadata().map(({ name, url }) => [name, url]),
    ),
  };
}

function scopesOf(requirements: SecurityRequirements): string[] {
  const scopes = new Set<string>();
  for (const requirement of requirements.values()) {
    for (const list of requirement.scopes ?? []) list.forEach((scope) => scopes.add(scope));
  }
  return [...scopes].sort();
}
