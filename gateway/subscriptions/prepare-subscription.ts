import {
  GraphQLError,
  Kind,
  getArgumentValues,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import {
  admitIncoming,
  runChecks,
  type CheckMode,
  type PipelineStep,
} from '../pipeline/pipeline-step.ts';
import { validateSafely } from '../pipeline/safe-validate.ts';
import {
  resolveOperation,
  type Caller,
  type IncomingOperation,
} from '../pipeline/resolved-operation.ts';
import type { AuthorizationPolicy } from '../../policies/authorization-policy.ts';
import { mayIntrospect } from '../plugins/schema-suggestions.ts';
import type { Principal } from '../principal.ts';
import { withoutSuggestions } from '../validation/schema-suggestions.ts';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.ts';
import { confineToTenant } from './subscription-tenancy.ts';
import {
  upstreamOperation,
  type ResumeConvention,
  type UpstreamOperation,
} from './upstream-operation.ts';

/** A subscription request as both transports receive it (a client's JSON: anything goes). */
export type SubscriptionRequest = {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  documentId?: unknown;
};

/** Everything needed to run one client subscription. */
export type PreparedSubscription = {
  /** The request as the client sent it (a reload prepares it again). */
  request: SubscriptionRequest;
  /** Who asked, over which transport. */
  caller: Caller;
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
  /** The request pipeline's steps (plugins/index.ts), the same the queries run. */
  steps: () => readonly PipelineStep[];
  /** Who may introspect: only they see "Did you mean ...?" in validation errors. */
  introspection: AuthorizationPolicy['introspection'];
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The subscription side of the request pipeline, shared by graphql-ws and SSE: the steps' admit
 * (trusted documents, tokens) → parse → validate against the API schema → resolveOperation (the
 * same function as for queries: one operation, coerced variables) → only subscriptions → the
 * steps' checks in order (limits, authorize, throttle: the same steps as queries) → tenancy →
 * plan (cached) → the Primary as sent upstream. `recheck` (an open subscription after a reload)
 * decides again without charging. Returns typed errors, never throws.
 */
export function createSubscriptionPreparer(options: PrepareOptions) {
  const { planner } = options;
  return async function prepare(
    request: SubscriptionRequest,
    caller: Caller,
    mode: CheckMode = 'request',
  ): Promise<PreparedSubscription | GraphQLError[]> {
    const steps = options.steps();
    const query =
      typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
    const incoming: IncomingOperation = {
      query,
      ...(request.documentId !== undefined ? { documentId: request.documentId } : {}),
      ...(isRecord(request.extensions) ? { extensions: { ...request.extensions } } : {}),
    };
    const refused = admitIncoming(steps, incoming, caller);
    if (refused) return [clientError(refused, 'BAD_REQUEST', true)];
    if (incoming.query === undefined) {
      return [
        new GraphQLError(
          'the subscription carries no document: send `query` or a trusted document id',
          {
            extensions: { code: 'BAD_REQUEST' },
          },
        ),
      ];
    }
    let document: DocumentNode;
    try {
      document = parse(incoming.query);
    } catch (error) {
      return [clientError(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validateSafely(planner.schema, document);
    if (invalid.length > 0) {
      const suggest = mayIntrospect(options.introspection, caller.principal);
      return invalid.map((error) =>
        clientError(
          suggest ? error : new GraphQLError(withoutSuggestions(error.message), error),
          'GRAPHQL_VALIDATION_FAILED',
        ),
      );
    }
    const resolved = resolveOperation({
      schema: planner.schema,
      source: incoming.query,
      document,
      operationName: request.operationName,
      variables: request.variables,
      caller,
    });
    if (Array.isArray(resolved)) return resolved.map((error) => clientError(error, 'BAD_REQUEST'));
    const { operation } = resolved;
    if (operation.operation !== 'subscription') {
      return [
        new GraphQLError(
          `only subscriptions are served here; send a ${operation.operation} as an HTTP POST`,
          { extensions: { code: 'BAD_REQUEST' } },
        ),
      ];
    }
    try {
      await runChecks(steps, resolved, mode);
    } catch (error) {
      if (error instanceof GraphQLError) return [clientError(error, 'FORBIDDEN', true)];
      throw error;
    }
    const principal = caller.principal;
    const fragments = new Map(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    const fieldNode = rootField(operation.selectionSet, fragments)!;
    const field = planner.schema.getSubscriptionType()!.getFields()[
      fieldNode.name.value
    ] as GraphQLField<unknown, unknown>;
    const variables = resolved.variables as Record<string, unknown>;
    try {
      const args = confineToTenant(
        field,
        getArgumentValues(field, fieldNode, variables),
        principal,
      );
      const plan = planner.plan(document, resolved.operationName);
      return {
        request,
        caller,
        schema: planner.schema,
        document,
        operationName: resolved.operationName,
        variables,
        principal,
        plan,
        upstream: upstreamOperation(plan.primary, field, args, variables, options.resume),
      };
    } catch (error) {
      if (error instanceof GraphQLError) return [clientError(error, 'BAD_USER_INPUT')];
      throw error;
    }
  };
}
