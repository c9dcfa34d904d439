import type { GraphQLDataSource } from '@apollo/gateway';
import {
  applyRewrites,
  deepMerge,
  downstreamError,
  generateHydratedPaths,
  INCOMING_OPERATION,
  isObjectOfType,
} from './apollo-gateway-internals.ts';
import { getOwn, setOwn } from './shape-values.ts';
import type { FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';

/**
 * Runs a query plan's Sequence / Parallel / Flatten / Fetch nodes against the gateway's data
 * sources (so the signed principal, forwarded headers and deduplication apply), merging every
 * answer into one tree in place. A port of @apollo/gateway 2.14's executeNode / executeFetch
 * without tracing spans and usage-reporting traces (fast-executor.ts refuses plans with other
 * node kinds). Errors are collected, never thrown.
 */
type Json = Record<string, unknown>;
type Path = (string | number)[];
type Cursor = { path: Path; data: unknown; fullResult: Json };

export type PlanRun = {
  services: Record<string, GraphQLDataSource>;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  errors: GraphQLError[];
};

/** `flattenResultsAtPath` of executeQueryPlan.js: `@` flattens one list level. */
function flattenAtPath(value: unknown, path: readonly (string | number)[], at = 0): unknown {
  if (at === path.length || value === undefined || value === null) return value;
  const current = path[at]!;
  if (current === '@') {
    const out: unknown[] = [];
    for (const element of value as unknown[]) {
      const found = flattenAtPath(element, path, at + 1);
      if (Array.isArray(found)) for (const item of found) out.push(item);
      else out.push(found);
    }
    return out;
  }
  if (typeof current !== 'string') throw new Error(`Unexpected ${typeof current} found in path`);
  if (Array.isArray(value)) {
    throw new Error(`Unexpected array in result for path element ${current}`);
  }
  const object = value as Json;
  return flattenAtPath(Object.hasOwn(object, current) ? object[current] : undefined, path, at + 1);
}

function representationOf(
  schema: GraphQLSchema,
  source: unknown,
  selections: QueryPlanSelectionNode[],
): Json | null {
  if (source === null) return null;
  // A plain object (fast to serialise): its keys are the plan's `requires` field names, set as
  // own properties (a name such as `__proto__` or `constructor` is data, not the prototype's).
  const result: Json = {};
  const object = source as Json;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const responseName = selection.alias ?? selection.name;
      const value = Object.hasOwn(object, responseName) ? object[responseName] : undefined;
      if (value === undefined) return null;
      const nested = selection.selections;
      setOwn(
        result,
        responseName,
        Array.isArray(value)
          ? value.map((item) => (nested ? representationOf(schema, item, nested) : item))
          : nested
            ? representationOf(schema, value, nested)
            : value,
      );
    } else if (
      selection.typeCondition &&
      source &&
      isObjectOfType(schema, object, selection.typeCondition)
    ) {
      deepMerge(result, representationOf(schema, source, selection.selections));
    }
  }
  return result;
}

async function runFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = run.services[fetch.serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = Array.isArray(cursor.data)
    ? (cursor.data as unknown[]).filter((e) => e !== null && e !== undefined)
    : [cursor.data];
  if (entities.length < 1) return;
  const variables: Json = Object.create(null) as Json;
  const provided = run.requestContext.request.variables;
  for (const name of fetch.variableUsages ?? []) {
    if (provided && Object.hasOwn(provided, name) && provided[name] !== undefined) {
      variables[name] = provided[name];
    }
  }
  const send = async (vars: Json): Promise<Json | undefined> => {
    const response = await service.process({
      kind: INCOMING_OPERATION,
      request: { query: fetch.operation, variables: vars, operationName: fetch.operationName },
      incomingRequestContext: run.requestContext,
      context: run.requestContext.context,
      document: fetch.operationDocumentNode,
      pathInIncomingRequest: cursor.path,
    } as Parameters<GraphQLDataSource['process']>[0]);
    if (response.errors) {
      let hydrated: Path[] | undefined;
      const errorPath = (path: readonly (string | number)[] | undefined): Path | undefined => {
        if (fetch.requires && typeof path?.[1] === 'number') {
          if (!hydrated) {
            hydrated = [];
            generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
          }
          return [...(hydrated[path[1]] ?? []), ...path.slice(2)];
        }
        return path ? [...cursor.path, ...path] : undefined;
      };
      run.errors.push(
        ...response.errors.map((e) => downstreamError(e, fetch.serviceName, errorPath(e.path))),
      );
      const metrics = run.requestContext.metrics as { nonFtv1ErrorPaths?: unknown[] } | undefined;
      if (metrics && !response.extensions?.ftv1) {
        const paths = response.errors.map((e) => ({ subgraph: fetch.serviceName, path: e.path }));
        if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
        else metrics.nonFtv1ErrorPaths = paths;
      }
    }
    return response.data ?? undefined;
  };
  if (!fetch.requires) {
    const data = await send(variables);
    if (data) applyRewrites(run.supergraphSchema, fetch.outputRewrites, data);
    for (const entity of entities) deepMerge(entity, data);
    return;
  }
  const representations: Json[] = [];
  const owners: number[] = [];
  entities.forEach((entity, index) => {
    const representation = representationOf(run.supergraphSchema, entity, fetch.requires!);
    if (
      representation &&
      Object.hasOwn(representation, '__typename') &&
      representation.__typename
    ) {
      applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
      representations.push(representation);
      owners.push(index);
    }
  });
  if (representations.length < 1) return;
  if (Object.hasOwn(variables, 'representations'))
    throw new Error(`Variables cannot contain key "representations"`);
  const data = await send({ ...variables, representations });
  if (!data) return;
  const received = data._entities;
  if (!Array.isArray(received))
    throw new Error(`Expected "data._entities" in response to be an array`);
  if (received.length !== representations.length) {
    throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  }
  // As @apollo/gateway does: `entities.length` bounds the loop (items past the answer are undefined).
  for (let i = 0; i < entities.length; i++) {
    const entity = received[i] as Json | null | undefined;
    const existing = entities[owners[i]!] as Json;
    if (entity && !getOwn(entity, '__typename')) entity.__typename = getOwn(existing, '__typename');
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity as Json);
    deepMerge(existing, entity);
  }
}

/** Runs `node` at `cursor`; errors land in `run.errors`. */
export async function runPlanNode(
  run: PlanRun,
  node: PlanNode,
  cursor: Cursor | undefined,
): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runPlanNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runPlanNode(run, child, cursor)));
      return;
    case 'Flatten': {
      const data = flattenAtPath(cursor.data, node.path);
      const next = data
        ? { path: cursor.path.concat(node.path), data, fullResult: cursor.fullResult }
        : undefined;
      return runPlanNode(run, node.node, next);
    }
    case 'Fetch':
      try {
        await runFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    default:
      throw new Error(`plan node ${node.kind} is not run by the fast executor`);
  }
}
