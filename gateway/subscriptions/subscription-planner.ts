import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { SupergraphArtifacts } from '../supergraph-artifacts.ts';

/** A subscription's plan: the Primary (a subscription to the owning subgraph) and the Rest. */
export type SubscriptionPlan = {
  primary: FetchNode;
  /** Entity fetches run per event with the event as the initial data; undefined when none. */
  rest: PlanNode | undefined;
};

export type SubscriptionPlanner = {
  /** The API schema (as graphql-js) that clients validate against. */
  schema: GraphQLSchema;
  /** The API schema as federation-internals, for executeQueryPlan. */
  apiSchema: Schema;
  /** The supergraph as graphql-js, for executeQueryPlan. */
  supergraphSchema: GraphQLSchema;
  /** Plans a validated subscription operation (cached by document text and operation name). */
  plan(document: DocumentNode, operationName?: string | null): SubscriptionPlan;
  /** Subgraph name → routing URL composed into the supergraph. */
  routingUrls: Record<string, string>;
};

export type SubscriptionPlannerOptions = {
  /** The supergraph as loaded (gateway/supergraph-artifacts.ts): its stripped supergraph. */
  supergraph: SupergraphArtifacts;
  /** Plans kept. Default 500. */
  cacheSize?: number;
};

/**
 * Plans subscriptions with @apollo/query-planner from the same security-stripped supergraph
 * ApolloGateway gets (gateway/supergraph-artifacts.ts), so both plan alike.
 */
export function createSubscriptionPlanner(
  options: SubscriptionPlannerOptions,
): SubscriptionPlanner {
  const { supergraph, apiSchema, schema, supergraphSchema, routingUrls } = options.supergraph;
  const planner = new QueryPlanner(supergraph);
  const cache = new Map<string, SubscriptionPlan>();
  const limit = options.cacheSize ?? 500;
  return {
    schema,
    apiSchema,
    supergraphSchema,
    routingUrls: { ...routingUrls },
    plan(document, operationName) {
      const key = `${operationName ?? ''}\n${print(document)}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const operation = operationFromDocument(apiSchema, document, {
        ...(operationName ? { operationName } : {}),
      });
      const node = planner.buildQueryPlan(operation).node;
      if (node?.kind !== 'Subscription') {
        throw new Error(`expected a Subscription plan, got ${node?.kind ?? 'none'}`);
      }
      const plan = { primary: node.primary, rest: node.rest };
      if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      cache.set(key, plan);
      return plan;
    },
  };
}
