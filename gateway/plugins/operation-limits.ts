import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {
  DEFAULT_OPERATIONS_POLICY,
  limitsFor,
  type LimitName,
  type OperationsPolicy,
} from '../../policies/operations-policy.ts';
import { firstExceededLimit, type ExceededLimit } from '../limits/check-limits.ts';
import { NO_COST_DIRECTIVES, type CostDirectives } from '../limits/cost-directives.ts';
import { FragmentCycleError } from '../limits/fragment-memo.ts';
import { SlicingArgumentError } from '../limits/list-size.ts';
import { measureCost } from '../limits/measure-cost.ts';
import { measureTokens } from '../limits/measure-tokens.ts';
import { replaceRefusedDocument } from '../limits/refuse-before-parsing.ts';
import type { GatewayContext } from '../principal.ts';

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
 * The same limits for a request that does not go through Apollo Server's pipeline (a
 * subscription over graphql-ws or SSE): undefined when within every limit of the caller's
 * token class, else the refusal the plugin would give.
 */
export function createOperationLimitsCheck(options: OperationLimitsOptions = {}) {
  const policy = options.policy ?? (() => DEFAULT_OPERATIONS_POLICY);
  const directives = options.costDirectives ?? NO_COST_DIRECTIVES;
  return {
    tokens(source: string, tokenClass: string | undefined): GraphQLError | undefined {
      const { tokens } = limitsFor(policy(), tokenClass);
      const measured = measureTokens(source, tokens + 1);
      return measured > tokens
        ? limitExceeded({ limitName: 'tokens', measured, limit: tokens })
        : undefined;
    },
    operation(
      schema: GraphQLSchema,
      document: DocumentNode,
      operation: OperationDefinitionNode,
      variables: Readonly<Record<string, unknown>>,
      tokenClass: string | undefined,
    ): GraphQLError | undefined {
      const current = policy();
      const limits = limitsFor(current, tokenClass);
      try {
        const model = { directives, defaults: current.cost };
        const exceeded = firstExceededLimit(schema, document, operation, limits, model, variables);
        return exceeded ? limitExceeded(exceeded) : undefined;
      } catch (error) {
        return refusalOf(error, limits.depth);
      }
    },
  };
}

export type OperationLimitsCheck = ReturnType<typeof createOperationLimitsCheck>;

/** Cost of an operation under the policy in force (the throttle weights requests by it). */
export type CostOf = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Readonly<Record<string, unknown>>,
) => number;

/**
 * `costOf(schema, document, operation, variables)`: the estimated cost the limits step checks
 * (limits/measure-cost.ts), with the same supergraph directives and the policy in force.
 * Throws SlicingArgumentError / FragmentCycleError like the limits step (which refuses such an
 * operation before any later step runs).
 */
export function createCostOf(options: OperationLimitsOptions = {}): CostOf {
  const policy = options.policy ?? (() => DEFAULT_OPERATIONS_POLICY);
  const directives = options.costDirectives ?? NO_COST_DIRECTIVES;
  return (schema, document, operation, variables = {}) =>
    measureCost(schema, document, operation, { directives, defaults: policy().cost }, variables);
}

/**
 * The operation limits step: per caller (token class, or anonymous) limits on tokens, depth,
 * aliases, root fields, directives and estimated cost (policies/operations.yaml). Tokens are
 * counted in requestDidStart, before Apollo Server parses the document (a token flood is never
 * parsed or validated); the rest is measured in didResolveOperation, after validation and before
 * authorize, planning and any subgraph call. Also measured there: the tokens of a document
 * that arrived by APQ hash (its text is known only then). A refusal is HTTP 400
 * OPERATION_LIMIT_EXCEEDED with `extensions.limitName`, `measured` and `limit`.
 */
export function operationLimitsPlugin(
  options: OperationLimitsOptions = {},
): ApolloServerPlugin<GatewayContext> {
  const policy = options.policy ?? (() => DEFAULT_OPERATIONS_POLICY);
  const directives = options.costDirectives ?? NO_COST_DIRECTIVES;
  return {
    async requestDidStart({ request, contextValue }) {
      const current = policy();
      const limits = limitsFor(current, contextValue.principal?.tokenClass);
      const overTokens = (source: string): GraphQLError | undefined => {
        const measured = measureTokens(source, limits.tokens + 1);
        return measured > limits.tokens
          ? limitExceeded({ limitName: 'tokens', measured, limit: limits.tokens })
          : undefined;
      };
      const sent = typeof request.query === 'string';
      const early = sent ? overTokens(request.query!) : undefined;
      if (early) replaceRefusedDocument(request);
      return {
        async didResolveOperation({
          schema,
          document,
          operation,
          source,
          request: resolved,
          contextValue,
        }) {
          if (early) throw early;
          const late = sent ? undefined : overTokens(source);
          if (late) throw late;
          if (!operation) return;
          let exceeded: ExceededLimit | undefined;
          try {
            const model = { directives, defaults: current.cost };
            const variables = resolved.variables ?? {};
            const measured: Partial<Record<LimitName, number>> = {};
            exceeded = firstExceededLimit(
              schema,
              document,
              operation,
              limits,
              model,
              variables,
              measured,
            );
            contextValue.estimatedCost = measured.cost;
          } catch (error) {
            throw refusalOf(error, limits.depth);
          }
          if (exceeded) throw limitExceeded(exceeded);
        },
      };
    },
  };
}
