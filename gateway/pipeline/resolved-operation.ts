import {
  GraphQLError,
  Kind,
  getVariableValues,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type OperationTypeNode,
} from 'graphql';
import type { Principal } from '../principal.ts';

/** How a request reached the gateway. */
export type Transport = 'http' | 'graphql-ws' | 'sse';

/** Who is calling and how: what every step knows of the caller. */
export type Caller = {
  /** From the authenticate step; undefined: anonymous. */
  principal: Principal | undefined;
  /** The connection's remote address (keys anonymous callers' throttling). */
  address: string | undefined;
  transport: Transport;
};

/**
 * A request before its document is parsed, as the transports receive it. Steps that act before
 * parsing (trusted documents, the token limit) read it and may replace `query` (a document id
 * resolved to its manifest text).
 */
export type IncomingOperation = {
  /** The document text; undefined when only an id (documentId, APQ hash) was sent. */
  query: string | undefined;
  /** GraphQL-over-HTTP persisted document id (`documentId`), as sent. */
  documentId?: unknown;
  /** The request's `extensions` (APQ: `persistedQuery.sha256Hash`). */
  extensions?: Record<string, unknown>;
};

/** Facts one step measures and later steps read, so nothing is measured twice. */
export type OperationFacts = {
  /** Estimated cost (limits/measure-cost.ts), set by the operation-limits step. */
  cost?: number;
};

/**
 * The one value every step and the executor consume: the operation the gateway will run, with
 * its caller and coerced variables. Built only by `resolveOperation`; a request it cannot build
 * is refused there, so no step ever meets "no operation".
 */
export type ResolvedOperation = {
  readonly schema: GraphQLSchema;
  readonly source: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly operationType: OperationTypeNode;
  /** The operation's own name; undefined for the one anonymous operation of its document. */
  readonly operationName: string | undefined;
  /** The variables as coerced against the operation's definitions (defaults applied). */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly caller: Caller;
  readonly facts: OperationFacts;
  /** Names of the steps that passed it, in order (see pipeline-step.ts `runChecks`). */
  readonly passed: string[];
  /** True once every step of the pipeline passed it: the executor runs nothing else. */
  admitted: boolean;
};

export type ResolveInput = {
  schema: GraphQLSchema;
  source: string;
  /** Parsed and validated against `schema`. */
  document: DocumentNode;
  /** As sent: anything (a client's JSON); only a string or null/undefined is acceptable. */
  operationName: unknown;
  /** As sent: anything; only an object or null/undefined is acceptable. */
  variables: unknown;
  caller: Caller;
};

/** A request that names no single operation, or malformed operation arguments: HTTP 400. */
export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/**
 * The first string in a JSON value that is not well-formed Unicode (a lone UTF-16 surrogate, as
 * `"\ud800"` in JSON gives): no back-end can store or encode it. Iterative, so a deeply nested
 * value cannot overflow the stack.
 */
/** A UTF-16 surrogate not part of a pair (with `u`, a pair is one code point, never matched). */
const LONE_SURROGATE = /\p{Cs}/u;

function illFormedString(value: unknown): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (LONE_SURROGATE.test(next)) return next;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, item] of Object.entries(next)) pending.push(key, item);
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Picks the operation a request runs, by the GraphQL spec's GetOperation: the operation named
 * `operationName`, or the document's only operation when no name is sent. Anything else (an
 * empty or unknown name, a name that is not a string, several operations and no name) is a
 * refusal, never "no operation" for a later step to skip over.
 */
function selectOperation(
  document: DocumentNode,
  operationName: unknown,
): OperationDefinitionNode | GraphQLError {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName !== undefined && operationName !== null) {
    if (typeof operationName !== 'string') return badRequest('operationName must be a string');
    const named = operations.find((op) => op.name?.value === operationName);
    if (named) return named;
    return badRequest(
      operationName === ''
        ? 'operationName is empty: send the name of an operation of the document, or leave it out'
        : `the document has no operation named "${operationName}"`,
    );
  }
  if (operations.length === 1) return operations[0]!;
  return badRequest(
    operations.length === 0
      ? 'the document contains no operation'
      : 'the document contains several operations: send operationName to choose one',
  );
}

/**
 * Turns a parsed, validated request into the ResolvedOperation, or the errors that refuse it
 * (BAD_REQUEST for the operation; BAD_USER_INPUT for variables that do not coerce or hold a
 * string that is not well-formed). Every transport calls it.
 */
export function resolveOperation(input: ResolveInput): ResolvedOperation | GraphQLError[] {
  const operation = selectOperation(input.document, input.operationName);
  if (operation instanceof GraphQLError) return [operation];
  if (input.variables !== undefined && input.variables !== null) {
    if (!isPlainObject(input.variables)) return [badRequest('variables must be a JSON object')];
    if (illFormedString(input.variables) !== undefined) {
      return [
        new GraphQLError(
          'variables hold a string that is not well-formed Unicode (a lone surrogate)',
          {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          },
        ),
      ];
    }
  }
  const coerced = getVariableValues(
    input.schema,
    operation.variableDefinitions ?? [],
    (input.variables as Record<string, unknown> | null | undefined) ?? {},
    { maxErrors: 20 },
  );
  if (coerced.errors) {
    return coerced.errors.map(
      (error) =>
        new GraphQLError(error.message, {
          nodes: error.nodes,
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        }),
    );
  }
  return {
    schema: input.schema,
    source: input.source,
    document: input.document,
    operation,
    operationType: operation.operation,
    operationName: operation.name?.value,
    variables: coerced.coerced,
    caller: input.caller,
    facts: {},
    passed: [],
    admitted: false,
  };
}
