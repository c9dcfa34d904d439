import { GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import {
  DEFAULT_OPERATIONS_POLICY,
  limitsFor,
  type LimitName,
  type OperationLimits,
  type OperationsPolicy,
} from '../../policies/operations-policy.ts';
import { firstExceededLimit, type ExceededLimit } from '../limits/check-limits.ts';
import { NO_COST_DIRECTIVES, type CostDirectives } from '../limits/cost-directives.ts';
import { FragmentCycleError } from '../limits/fragment-memo.ts';
import { SlicingArgumentError } from '../limits/list-size.ts';
import { measureCost } from '../limits/measure-cost.ts';
import { measureTokens } from '../limits/measure-tokens.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { ResolvedOperation } from '../pipeline/resolved-operation.ts';

export type OperationLimitsOptions = {
  /**
   * The operations policy in force (policies/operations.yaml), read on every request so that a
   * hot reload (policies/watch-policy.ts) applies to the next one. Default: DEFAULT_OPERATIONS_POLICY
   * (generous limits).
   */
  policy?: () => OperationsPolicy;
  /** `@cost` / `@listSize` of the ORIGINAL supergraph: `readCostDirectives(sdl)`. Default none. */
  costDirectives?: CostDirectives;
};

const LABELS: Record<LimitName, string> = {
  tokens: 'token count',
  depth: 'depth',
  aliases: 'alias count',
  rootFields: 'root field count',
  directives: 'directive count',
  cost: 'estimated cost',
};

/**
 * HTTP 400 OPERATION_LIMIT_EXCEEDED carrying what was measured against which limit. Tokens are
 * counted only up to one past the limit (a 1 MB flood costs no more than the limit to refuse),
 * so `measured` is then limit + 1.
 */
export function limitExceeded({ limitName, measured, limit }: ExceededLimit): GraphQLError {
  const message =
    limitName === 'tokens'
      ? `operation exceeds the token limit of ${limit} (counting stopped at ${measured})`
      : `operation ${LABELS[limitName]} ${measured} exceeds the limit of ${limit}`;
  return new GraphQLError(message, {
    extensions: {
      code: 'OPERATION_LIMIT_EXCEEDED',
      limitName,
      measured,
      limit,
      http: { status: 400 },
    },
  });
}

function refusalOf(error: unknown, depthLimit: number): GraphQLError {
  if (error instanceof FragmentCycleError) {
    return new GraphQLError(`${error.message}: the operation has no finite depth`, {
      extensions: {
        code: 'OPERATION_LIMIT_EXCEEDED',
        limitName: 'depth',
        measured: null,
        limit: depthLimit,
        fragmentCycle: error.cycle,
        http: { status: 400 },
      },
    });
  }
  if (error instanceof SlicingArgumentError) {
    return new GraphQLError(error.message, {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
  throw error;
}

/**
 * The operation limits step: per caller (token class, or anonymous) limits on tokens, depth,
 * aliases, root fields, directives and estimated cost (policies/operations.yaml), cheapest
 * first and each linear in the document (fragments memoized). Tokens are counted in `admit`,
 * before the document is parsed (a token flood is never parsed or validated), and again on the
 * resolved source (a document that arrived by APQ hash or document id); the rest in `check`,
 * before authorize walks the operation and before planning. The cost measured here is kept on
 * the operation (`facts.cost`) for the throttle. A refusal is HTTP 400 OPERATION_LIMIT_EXCEEDED
 * with `extensions.limitName`, `measured` and `limit`.
 */
export function operationLimitsStep(options: OperationLimitsOptions = {}): PipelineStep {
  const policy = options.policy ?? (() => DEFAULT_OPERATIONS_POLICY);
  const directives = options.costDirectives ?? NO_COST_DIRECTIVES;
  const overTokens = (source: string, limits: OperationLimits): GraphQLError | undefined => {
    const measured = measureTokens(source, limits.tokens + 1);
    return measured > limits.tokens
      ? limitExceeded({ limitName: 'tokens', measured, limit: limits.tokens })
      : undefined;
  };
  // Depth, aliases, root fields and directives depend on the document alone: remembered per
  // schema and operation node (Apollo Server hands the same parsed document to each request).
  const remembered = new WeakMap<
    GraphQLSchema,
    WeakMap<OperationDefinitionNode, Partial<Record<LimitName, number>>>
  >();
  const documentMeasuresOf = (schema: GraphQLSchema, operation: OperationDefinitionNode) => {
    let bySchema = remembered.get(schema);
    if (!bySchema) remembered.set(schema, (bySchema = new WeakMap()));
    let measures = bySchema.get(operation);
    if (!measures) bySchema.set(operation, (measures = {}));
    return measures;
  };
  return {
    name: 'operation-limits',
    admit(incoming, caller) {
      if (incoming.query === undefined) return undefined;
      return overTokens(incoming.query, limitsFor(policy(), caller.principal?.tokenClass));
    },
    check(resolved) {
      const current = policy();
      const limits = limitsFor(current, resolved.caller.principal?.tokenClass);
      const tooLong = overTokens(resolved.source, limits);
      if (tooLong) throw tooLong;
      let exceeded: ExceededLimit | undefined;
      const measured: Partial<Record<LimitName, number>> = {};
      try {
        exceeded = firstExceededLimit(
          resolved.schema,
          resolved.document,
          resolved.operation,
          limits,
          { directives, defaults: current.cost },
          resolved.variables,
          measured,
          documentMeasuresOf(resolved.schema, resolved.operation),
        );
      } catch (error) {
        throw refusalOf(error, limits.depth);
      }
      if (exceeded) throw limitExceeded(exceeded);
      resolved.facts.cost = measured.cost;
    },
  };
}

/** Cost of an operation under the policy in force (the throttle weights requests by it). */
export type CostOf = (resolved: ResolvedOperation) => number;

/**
 * `costOf(resolved)`: the estimated cost the limits step checks (limits/measure-cost.ts), with
 * the same supergraph directives and the policy in force, for a pipeline without the limits
 * step (benchmarks). Throws SlicingArgumentError / FragmentCycleError like the limits step.
 */
export function createCostOf(options: OperationLimitsOptions = {}): CostOf {
  const policy = options.policy ?? (() => DEFAULT_OPERATIONS_POLICY);
  const directives = options.costDirectives ?? NO_COST_DIRECTIVES;
  return (resolved) =>
    measureCost(
      resolved.schema,
      resolved.document,
      resolved.operation,
      { directives, defaults: policy().cost },
      resolved.variables,
    );
}
