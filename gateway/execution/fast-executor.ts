import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import {
  gatewayInternals,
  type LoadedGateway,
  type OperationContext,
} from './apollo-gateway-internals.ts';
import { compileShape, type CompiledShape } from './compile-shape.ts';
import { runPlanNode, type PlanRun } from './run-plan.ts';
import { ResponseShaper } from './shape-response.ts';
import { valueCompletionErrors, withValueCompletionErrors } from './value-completion.ts';

type Executor = ApolloGateway['executor'];

type Prepared = {
  operationContext: OperationContext;
  plan?: QueryPlan;
  /** Why this operation goes to @apollo/gateway's executor (undefined: the fast path runs it). */
  fallback?: string;
  shape?: CompiledShape;
};

export type FastExecutorOptions = {
  /** Prepared operations kept (document hash + operation name). Default 1000. */
  maxOperations?: number;
  /** Called once per operation the fast path does not run, with the reason. */
  onFallback?(reason: string): void;
};

/**
 * The answer when the request pipeline resolved no operation (e.g. `"operationName": ""`): no
 * plugin checked one, so nothing runs (an executor that picked "the only operation" would run
 * what no check saw).
 */
function noOperation(): GatewayExecutionResult {
  return {
    errors: [
      new GraphQLError('the request names no operation of the document', {
        extensions: { code: 'BAD_REQUEST' },
      }),
    ],
  };
}

/** `rc` with `request.operationName` naming `name` (the resolved operation), for Apollo's executor. */
function forOperation(
  rc: GatewayGraphQLRequestContext,
  name: string | undefined,
): GatewayGraphQLRequestContext {
  if ((rc.request.operationName ?? undefined) === name) return rc;
  const request = { ...rc.request };
  if (name === undefined) delete request.operationName;
  else request.operationName = name;
  return { ...rc, request };
}

/**
 * @apollo/gateway's executor limited to the operation the request pipeline resolved and checked
 * (`rc.operation`, never re-derived from the request's operation name; none: a BAD_REQUEST
 * error, nothing runs), with its value-completion errors (a null for a non-null field the
 * gateway found) reported in `errors` as the fast executor does.
 */
export function createApolloExecutor(apollo: Executor): Executor {
  return async (rc) => {
    const operation = rc.operation;
    if (!operation) return noOperation();
    return withValueCompletionErrors(await apollo(forOperation(rc, operation.name?.value)));
  };
}

function fragmentsOf(document: DocumentNode): {
  fragments: Record<string, FragmentDefinitionNode>;
  operations: number;
} {
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  let operations = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations += 1;
  }
  return { fragments, operations };
}

function unsupportedNode(node: PlanNode): string | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const reason = unsupportedNode(child);
        if (reason) return reason;
      }
      return undefined;
    case 'Flatten':
      return unsupportedNode(node.node);
    case 'Fetch':
      if (node.contextRewrites?.length) return 'context rewrites';
      return node.hasDefers ? 'deferred fetch' : undefined;
    default:
      return `${node.kind} plan node`;
  }
}

/**
 * The gateway's executor: plans with ApolloGateway's planner and plan cache, runs the plan's
 * fetches through the same data sources (run-plan.ts), and shapes the response from the
 * operation's compiled selection set (shape-response.ts) instead of @apollo/gateway's
 * executeQueryPlan (no tracing spans, no per-request operation rebuilding, precompiled shaping).
 * What it does not cover (introspection fields, @skip/@include and other directives, subscription,
 * @defer and condition plan nodes, usage-reporting traces, the experimental query-plan header)
 * goes to ApolloGateway's own executor: `apollo`.
 */
export function createFastExecutor(
  gateway: ApolloGateway,
  apollo: Executor,
  options: FastExecutorOptions = {},
): Executor {
  // Throws now (naming versions or the missing member) when @apollo/gateway is not the one
  // apollo-gateway-internals.ts was written for.
  const internals = gatewayInternals(gateway);
  const fallback = createApolloExecutor(apollo);
  const max = options.maxOperations ?? 1000;
  let prepared = new Map<string, Prepared>();
  let schemaOfCache: GraphQLSchema | undefined;
  let loaded: LoadedGateway | undefined;

  async function planFor(
    state: LoadedGateway,
    name: string | undefined,
    rc: GatewayGraphQLRequestContext,
    entry: Prepared,
  ) {
    // ApolloGateway's plan-store key, for the resolved operation's own name.
    const key =
      name === undefined
        ? rc.queryHash
        : createHash('sha256').update(rc.queryHash).update(name).digest('hex');
    const plan = await internals.plan(rc.document, name, key);
    const reason = plan.node ? unsupportedNode(plan.node as PlanNode) : undefined;
    entry.shape = compileShape(
      state.schema,
      entry.operationContext.operation,
      entry.operationContext.fragments,
    );
    entry.fallback = reason ?? (entry.shape.supported ? undefined : entry.shape.reason);
    if (entry.fallback) options.onFallback?.(entry.fallback);
    entry.plan = plan;
    return plan;
  }

  return async (rc) => {
    // The operation the request pipeline resolved and its plugins checked: the only one run.
    const operation = rc.operation;
    if (!operation) return noOperation();
    const schema = internals.currentSchema();
    if (schema !== schemaOfCache) {
      // A new supergraph: new plans, shapes and (possibly) data sources.
      prepared = new Map();
      schemaOfCache = schema;
      loaded = undefined;
    }
    if (
      rc.metrics?.captureTraces ||
      rc.request.http?.headers.get('apollo-query-plan-experimental')
    ) {
      return fallback(rc);
    }
    const state = (loaded ??= internals.loaded());
    const name = operation.name?.value;
    const key = name === undefined ? rc.queryHash : `${rc.queryHash}\n${name}`;
    let entry = prepared.get(key);
    if (!entry) {
      const { fragments, operations } = fragmentsOf(rc.document);
      // An anonymous operation must be the document's only one (what the plan is built for).
      if (name === undefined && operations !== 1) return noOperation();
      entry = { operationContext: { schema: state.schema, operation, fragments } };
      if (prepared.size >= max) prepared.clear();
      prepared.set(key, entry);
    }
    if (entry.fallback) return fallback(rc);
    if (operation.variableDefinitions?.length) {
      const errors = internals.validateVariables(rc, entry.operationContext);
      if (errors.length > 0) return { errors };
    }
    const plan = entry.plan ?? (await planFor(state, name, rc, entry));
    if (entry.fallback) return fallback(rc);
    return execute(state, rc, plan, entry.shape as Extract<CompiledShape, { supported: true }>);
  };

  async function execute(
    { schema, supergraphSchema, services }: LoadedGateway,
    rc: GatewayGraphQLRequestContext,
    plan: QueryPlan,
    shape: Extract<CompiledShape, { supported: true }>,
  ): Promise<GatewayExecutionResult> {
    const run: PlanRun = {
      services,
      requestContext: rc,
      supergraphSchema,
      errors: [],
    };
    const merged = Object.create(null) as Record<string, unknown>;
    if (plan.node) {
      await runPlanNode(run, plan.node as PlanNode, { path: [], data: merged, fullResult: merged });
    }
    const shaper = new ResponseShaper(schema);
    let data: Record<string, unknown> | null = {};
    try {
      if (!shaper.applySelectionSet(merged, shape.selections, data, shape.root)) data = null;
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      return {
        errors: [new GraphQLError((error as Error).message, { originalError: error as Error })],
      };
    }
    if (run.errors.length === 0 && shaper.errors.length > 0) {
      return { errors: valueCompletionErrors(shaper.errors), data };
    }
    return run.errors.length === 0 ? { data } : { errors: run.errors, data };
  }
}
