import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { OperationAuthorizer } from '../plugins/authorize.ts';
import type { OperationLimitsCheck } from '../plugins/operation-limits.ts';
import type { Principal } from '../principal.ts';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.ts';
import { confineToTenant } from './subscription-tenancy.ts';
import {
  upstreamOperation,
  type ResumeConvention,
  type UpstreamOperation,
} from './upstream-operation.ts';

/** A subscription request as both transports receive it. */
export type SubscriptionRequest = {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
};

/** Everything needed to run one client subscription. */
export type PreparedSubscription = {
  /** The request as the client sent it (a reload prepares it again). */
  request: SubscriptionRequest;
  /** The API schema it was validated against. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | undefined;
  /** The client's variables, coerced. */
  variables: Record<string, unknown>;
  principal: Principal | undefined;
  plan: SubscriptionPlan;
  upstream: UpstreamOperation;
};

export type PrepareOptions = {
  planner: SubscriptionPlanner;
  authorize: OperationAuthorizer;
  /** Operation limits of the caller (plugins/operation-limits.ts). Default: none. */
  limits?: OperationLimitsCheck;
  resume: ResumeConvention;
};

/**
 * A typed client error: code (and unauthorizedPaths) kept, transport details (http) dropped;
 * `keepExtensions` keeps every other extension too (a limit's measure and limit).
 */
export function clientError(
  error: GraphQLError,
  fallbackCode: string,
  keepExtensions = false,
): GraphQLError {
  const { code, unauthorizedPaths, http: _http, ...rest } = error.extensions ?? {};
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: {
      code: typeof code === 'string' ? code : fallbackCode,
      ...(unauthorizedPaths ? { unauthorizedPaths } : {}),
      ...(keepExtensions ? rest : {}),
    },
  });
}

function rootField(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : fragments.get(selection.name.value)?.selectionSet;
    const found = inner && rootField(inner, fragments);
    if (found) return found;
  }
  return undefined;
}

/**
 * The subscription request pipeline, shared by graphql-ws and SSE, in the order of the query
 * pipeline: parse → validate against the API schema → only subscriptions → authorize (the same
 * authorizer as queries: @authenticated / @requiresScopes / @policy) → coerce variables →
 * tenancy → plan (cached) → the Primary as sent upstream. Returns typed errors, never throws.
 */
export function createSubscriptionPreparer(options: PrepareOptions) {
  const { planner } = options;
  return function prepare(
    request: SubscriptionRequest,
    principal: Principal | undefined,
  ): PreparedSubscription | GraphQLError[] {
    const tokenClass = principal?.tokenClass;
    const overTokens = options.limits?.tokens(request.query ?? '', tokenClass);
    if (overTokens) return [clientError(overTokens, 'OPERATION_LIMIT_EXCEEDED', true)];
    let document: DocumentNode;
    try {
      document = parse(request.query ?? '');
    } catch (error) {
      return [clientError(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(planner.schema, document);
    if (invalid.length > 0) {
      return invalid.map((error) => clientError(error, 'GRAPHQL_VALIDATION_FAILED'));
    }
    const operationName = request.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return [
        new GraphQLError('the request names no operation of the document', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ];
    }
    if (operation.operation !== 'subscription') {
      return [
        new GraphQLError(
          `only subscriptions are served here; send a ${operation.operation} as an HTTP POST`,
          { extensions: { code: 'BAD_REQUEST' } },
        ),
      ];
    }
    try {
      options.authorize(planner.schema, document, operation, principal);
    } catch (error) {
      if (error instanceof GraphQLError) return [clientError(error, 'FORBIDDEN')];
      throw error;
    }
    const coerced = getVariableValues(
      planner.schema,
      operation.variableDefinitions ?? [],
      request.variables ?? {},
    );
    if (coerced.errors) {
      return coerced.errors.map((error) => clientError(error, 'BAD_USER_INPUT'));
    }
    const overLimit = options.limits?.operation(
      planner.schema,
      document,
      operation,
      coerced.coerced,
      tokenClass,
    );
    if (overLimit) return [clientError(overLimit, 'OPERATION_LIMIT_EXCEEDED', true)];
    const fragments = new Map(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    const fieldNode = rootField(operation.selectionSet, fragments)!;
    const field = planner.schema.getSubscriptionType()!.getFields()[
      fieldNode.name.value
    ] as GraphQLField<unknown, unknown>;
    try {
      const args = confineToTenant(
        field,
        getArgumentValues(field, fieldNode, coerced.coerced),
        principal,
      );
      const plan = planner.plan(document, operationName);
      return {
        request,
        schema: planner.schema,
        document,
        operationName,
        variables: coerced.coerced,
        principal,
        plan,
        upstream: upstreamOperation(plan.primary, field, args, coerced.coerced, options.resume),
      };
    } catch (error) {
      if (error instanceof GraphQLError) return [clientError(error, 'BAD_USER_INPUT')];
      throw error;
    }
  };
}
