import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
// Deep imports of @apollo/gateway 2.14 helpers (no exports map): the same rewrites, merge and
// error-path hydration as its executeQueryPlan, so responses stay identical.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites.js';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan.js';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge.js';
import {
  ERRORS,
  errorCodeDef,
  operationFromDocument,
  type Schema,
} from '@apollo/federation-internals';
import type { QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The only file of gateway/execution/ that knows @apollo/gateway's private state (fields of
 * ApolloGateway, deep imports of its dist/) and imports @apollo/federation-internals. Both are
 * unversioned internals: `gatewayInternals` asserts, when the executor is created, that the
 * installed versions are the ones this was written for and that every private member exists,
 * and throws naming what differs, rather than misbehave after an upgrade.
 */
export const SUPPORTED_VERSIONS = {
  '@apollo/gateway': '2.14.4',
  '@apollo/federation-internals': '2.14.4',
} as const;

type Package = keyof typeof SUPPORTED_VERSIONS;

export { applyRewrites, deepMerge, generateHydratedPaths, isObjectOfType };
export const INCOMING_OPERATION = GraphQLDataSourceRequestKind.INCOMING_OPERATION;

/** What @apollo/gateway's `buildOperationContext` returns (its executor's second argument). */
export type OperationContext = {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
};

/** ApolloGateway's private members read here, with the kind each must have. */
const MEMBERS = {
  queryPlanStore: 'object',
  serviceMap: 'object',
  validateIncomingRequest: 'function',
  recursiveSelectionsLimitDisabled: 'boolean',
  nonLocalSelectionsLimitDisabled: 'boolean',
} as const;
/** Set once the gateway has loaded a supergraph. */
const LOADED_MEMBERS = {
  schema: 'object',
  apiSchema: 'object',
  supergraphSchema: 'object',
  queryPlanner: 'object',
} as const;

type Internals = {
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  queryPlanStore: {
    get(key: string): Promise<QueryPlan | undefined>;
    set(key: string, plan: QueryPlan): Promise<void>;
  };
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
  validateIncomingRequest(rc: GatewayGraphQLRequestContext, oc: OperationContext): GraphQLError[];
};

/** The installed versions, and where each resolves from (the gateway's own internals included). */
export function installedVersions(): Record<Package, string> {
  const require = createRequire(import.meta.url);
  const version = (from: NodeJS.Require, name: string) =>
    (from(`${name}/package.json`) as { version: string }).version;
  const ours = require.resolve('@apollo/federation-internals');
  const gatewayRequire = createRequire(require.resolve('@apollo/gateway'));
  const theirs = gatewayRequire.resolve('@apollo/federation-internals');
  if (dirname(ours) !== dirname(theirs)) {
    throw new Error(
      `gateway/execution: @apollo/gateway uses its own copy of @apollo/federation-internals ` +
        `(${theirs}, ${version(gatewayRequire, '@apollo/federation-internals')}), not ${ours}; ` +
        `install a single copy (npm dedupe).`,
    );
  }
  return {
    '@apollo/gateway': version(require, '@apollo/gateway'),
    '@apollo/federation-internals': version(require, '@apollo/federation-internals'),
  };
}

/** Throws, naming the package and both versions, unless `installed` is what this was written for. */
export function assertSupportedVersions(installed: Record<Package, string>): void {
  for (const name of Object.keys(SUPPORTED_VERSIONS) as Package[]) {
    if (installed[name] !== SUPPORTED_VERSIONS[name]) {
      throw new Error(
        `gateway/execution reads private state of ${name} ${SUPPORTED_VERSIONS[name]} but ` +
          `${installed[name]} is installed: review gateway/execution/apollo-gateway-internals.ts ` +
          `against the new version and update SUPPORTED_VERSIONS (or set GATEWAY_EXECUTOR=apollo).`,
      );
    }
  }
}

function assertMembers(gateway: object, members: Record<string, string>, when: string): void {
  for (const [name, kind] of Object.entries(members)) {
    const value = (gateway as Record<string, unknown>)[name];
    if (typeof value !== kind || value === null) {
      throw new Error(
        `gateway/execution: ApolloGateway has no ${kind} member "${name}" ${when} ` +
          `(@apollo/gateway ${SUPPORTED_VERSIONS['@apollo/gateway']} had one).`,
      );
    }
  }
  const store = (gateway as Internals).queryPlanStore;
  if (typeof store?.get !== 'function' || typeof store.set !== 'function') {
    throw new Error('gateway/execution: ApolloGateway.queryPlanStore has no get/set');
  }
}

/** A loaded supergraph's private state, read once per supergraph. */
export type LoadedGateway = {
  /** The API schema as graphql-js (ApolloGateway's `schema`). */
  schema: GraphQLSchema;
  supergraphSchema: GraphQLSchema;
  /** Subgraph name → its data source. */
  services: Record<string, GraphQLDataSource>;
};

export type GatewayInternals = {
  /** ApolloGateway's current API schema (undefined before the first load); read per request. */
  currentSchema(): GraphQLSchema | undefined;
  /** The state of the loaded supergraph; throws naming a missing member. Call per new schema. */
  loaded(): LoadedGateway;
  /**
   * The plan of the document's operation `operationName` (undefined: its only, anonymous
   * operation) from ApolloGateway's plan store, else planned and stored under `key`.
   */
  plan(document: DocumentNode, operationName: string | undefined, key: string): Promise<QueryPlan>;
  /** ApolloGateway's variable coercion check (errors to answer as they are). */
  validateVariables(rc: GatewayGraphQLRequestContext, oc: OperationContext): GraphQLError[];
};

/** Asserts versions and members (throws naming what differs) and returns the accessors. */
export function gatewayInternals(gateway: ApolloGateway): GatewayInternals {
  assertSupportedVersions(installedVersions());
  assertMembers(gateway, MEMBERS, 'when the executor is created');
  const internals = gateway as unknown as Internals;
  return {
    currentSchema: () => internals.schema,
    loaded() {
      assertMembers(gateway, LOADED_MEMBERS, 'after loading a supergraph');
      if (typeof internals.queryPlanner!.buildQueryPlan !== 'function') {
        throw new Error('gateway/execution: ApolloGateway.queryPlanner has no buildQueryPlan');
      }
      const services: Record<string, GraphQLDataSource> = Object.create(null);
      for (const [name, { dataSource }] of Object.entries(internals.serviceMap)) {
        services[name] = dataSource;
      }
      return {
        schema: internals.schema!,
        supergraphSchema: internals.supergraphSchema!,
        services,
      };
    },
    async plan(document, operationName, key) {
      let plan = await internals.queryPlanStore.get(key);
      if (!plan) {
        const operation = operationFromDocument(internals.apiSchema!, document, {
          operationName,
        });
        plan = internals.queryPlanner!.buildQueryPlan(operation, {
          recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled,
          nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled,
        });
        await internals.queryPlanStore.set(key, plan).catch(() => undefined);
      }
      return plan;
    },
    validateVariables: (rc, oc) => internals.validateIncomingRequest(rc, oc),
  };
}

/** A subgraph's error as executeQueryPlan reports it (its code kept, else DOWNSTREAM_SERVICE_ERROR). */
export function downstreamError(
  original: GraphQLFormattedError,
  serviceName: string,
  path: (string | number)[] | undefined,
): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: original as Error,
    path,
    extensions: { ...original.extensions, serviceName },
  };
  const codeDef = errorCodeDef(original as GraphQLError);
  if (!codeDef && original.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
