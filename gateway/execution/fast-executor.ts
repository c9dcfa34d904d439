import { createHash } from 'node:crypto';
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { PlanNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { compileShape, type CompiledShape } from './compile-shape.ts';
import { runPlanNode, type PlanRun } from './run-plan.ts';
import { ResponseShaper } from './shape-response.ts';

type Executor = ApolloGateway['executor'];
type OperationContext = ReturnType<typeof buildOperationContext>;

/** ApolloGateway's private state the executor reads (@apollo/gateway 2.14). */
type GatewayInternals = {
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
  const internals = gateway as unknown as GatewayInternals;
  const max = options.maxOperations ?? 1000;
  let prepared = new Map<string, Prepared>();
  let schemaOfCache: GraphQLSchema | undefined;
  let serviceMapOf: GatewayInternals['serviceMap'] | undefined;
  let services: Record<string, GraphQLDataSource> = {};

  async function planFor(rc: GatewayGraphQLRequestContext, entry: Prepared): Promise<QueryPlan> {
    const name = rc.request.operationName;
    const key = name
      ? createHash('sha256').update(rc.queryHash).update(name).digest('hex')
      : rc.queryHash;
    let plan = await internals.queryPlanStore.get(key);
    if (!plan) {
      const operation = operationFromDocument(internals.apiSchema!, rc.document, {
        operationName: name,
      });
      plan = internals.queryPlanner!.buildQueryPlan(operation, {
        recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled,
        nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled,
      });
      await internals.queryPlanStore.set(key, plan).catch(() => undefined);
    }
    const reason = plan.node ? unsupportedNode(plan.node as PlanNode) : undefined;
    entry.shape = compileShape(
      internals.schema!,
      entry.operationContext.operation,
      entry.operationContext.fragments,
    );
    entry.fallback = reason ?? (entry.shape.supported ? undefined : entry.shape.reason);
    if (entry.fallback) options.onFallback?.(entry.fallback);
    entry.plan = plan;
    return plan;
  }

  return async (rc) => {
    if (internals.schema !== schemaOfCache) {
      // A new supergraph: new plans, shapes and (possibly) data sources.
      prepared = new Map();
      schemaOfCache = internals.schema;
      serviceMapOf = undefined;
    }
    if (
      rc.metrics?.captureTraces ||
      rc.request.http?.headers.get('apollo-query-plan-experimental')
    ) {
      return apollo(rc);
    }
    const key = rc.request.operationName
      ? `${rc.queryHash}\n${rc.request.operationName}`
      : rc.queryHash;
    let entry = prepared.get(key);
    if (!entry) {
      const operationContext = buildOperationContext({
        schema: internals.schema!,
        operationDocument: rc.document,
        operationName: rc.request.operationName,
      });
      entry = { operationContext };
      if (prepared.size >= max) prepared.clear();
      prepared.set(key, entry);
    }
    if (entry.fallback) return apollo(rc);
    if (entry.operationContext.operation.variableDefinitions?.length) {
      const errors = internals.validateIncomingRequest(rc, entry.operationContext);
      if (errors.length > 0) return { errors };
    }
    const plan = entry.plan ?? (await planFor(rc, entry));
    if (entry.fallback) return apollo(rc);
    if (serviceMapOf !== internals.serviceMap) {
      serviceMapOf = internals.serviceMap;
      services = Object.fromEntries(
        Object.entries(serviceMapOf).map(([name, { dataSource }]) => [name, dataSource]),
      );
    }
    return execute(rc, plan, entry.shape as Extract<CompiledShape, { supported: true }>);
  };

  async function execute(
    rc: GatewayGraphQLRequestContext,
    plan: QueryPlan,
    shape: Extract<CompiledShape, { supported: true }>,
  ): Promise<GatewayExecutionResult> {
    const run: PlanRun = {
      serviceMap: services,
      requestContext: rc,
      supergraphSchema: internals.supergraphSchema!,
      errors: [],
    };
    const merged = Object.create(null) as Record<string, unknown>;
    if (plan.node) {
      await runPlanNode(run, plan.node as PlanNode, { path: [], data: merged, fullResult: merged });
    }
    const shaper = new ResponseShaper(internals.schema!);
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
      return { extensions: { valueCompletion: shaper.errors }, data };
    }
    return run.errors.length === 0 ? { data } : { errors: run.errors, data };
  }
}
