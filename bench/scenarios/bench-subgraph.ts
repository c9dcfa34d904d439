/**
 * A subgraph of a bench scenario: its name, its SDL (Federation 2) and its resolvers in the
 * `@apollo/subgraph` resolver-map shape. Plain data, no imports of graphql: the same definition is
 * served by `subgraph-http.ts` in its own process and composed into the supergraph by the harness.
 */
export type BenchResolvers = Record<string, Record<string, unknown>>;

export type BenchSubgraph = {
  /** One lowercase word; the name composed into the supergraph. */
  name: string;
  typeDefs: string;
  resolvers: BenchResolvers;
};
