import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { replaceRefusedDocument } from '../limits/refuse-before-parsing.ts';
import {
  admitIncoming,
  responseHeadersOf,
  runChecks,
  type PipelineStep,
} from '../pipeline/pipeline-step.ts';
import {
  badRequest,
  resolveOperation,
  type Caller,
  type IncomingOperation,
} from '../pipeline/resolved-operation.ts';
import { hasSubscription, validateSafely } from '../pipeline/safe-validate.ts';
import type { GatewayContext } from '../principal.ts';

export type RequestPipelineOptions = {
  /**
   * The steps in order (plugins/index.ts `pipelineSteps`), as a getter: the same list the
   * subscriptions run. Required.
   */
  steps: () => readonly PipelineStep[];
};

/** `documentId` of a POST body or a GET query string (GraphQL over HTTP persisted documents). */
function documentIdOf(request: GraphQLRequest): unknown {
  const http = request.http;
  if (!http) return undefined;
  if (http.method === 'GET') return new URLSearchParams(http.search).get('documentId') ?? undefined;
  const body = http.body as Record<string, unknown> | null | undefined;
  return typeof body === 'object' && body !== null ? body.documentId : undefined;
}

function incomingOf(request: GraphQLRequest): IncomingOperation {
  const documentId = documentIdOf(request);
  return {
    query: typeof request.query === 'string' ? request.query : undefined,
    ...(documentId !== undefined ? { documentId } : {}),
    ...(request.extensions ? { extensions: request.extensions } : {}),
  };
}

/**
 * graphql-js's validate throws, instead of answering, on some invalid subscription documents
 * (pipeline/safe-validate.ts), and Apollo Server answers any exception before
 * didResolveOperation with a 500. A document sent over HTTP that mentions a subscription is
 * therefore parsed and validated safely first (subscriptions are not served over HTTP, so this
 * costs nothing on the hot path); an invalid one is refused like any other pre-parse refusal.
 */
function unvalidatableSubscription(
  incoming: IncomingOperation,
  schema: GraphQLSchema,
): GraphQLError | undefined {
  if (incoming.query === undefined || !incoming.query.includes('subscription')) return undefined;
  let document: DocumentNode;
  try {
    document = parse(incoming.query);
  } catch {
    return undefined; // Apollo Server reports the syntax error itself
  }
  if (!hasSubscription(document)) return undefined;
  const [invalid] = validateSafely(schema, document);
  if (!invalid) return undefined;
  return new GraphQLError(invalid.message, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}

/**
 * The request pipeline on Apollo Server (queries and mutations over HTTP): one plugin that runs
 * the steps of plugins/index.ts, the same steps the subscriptions run.
 * - requestDidStart: every step's `admit` on the raw request (trusted documents, tokens). A
 *   refused request's document is replaced by a constant stand-in and never parsed
 *   (limits/refuse-before-parsing.ts); the refusal is answered from didResolveOperation.
 * - didResolveOperation (after Apollo's parse and validation): `resolveOperation` turns the
 *   request into the one ResolvedOperation (refusing an empty, unknown or missing operation
 *   name, several anonymous operations, bad variables, and subscriptions, which are served over
 *   graphql-ws and SSE), checks it is the operation Apollo resolved, runs every step's `check`
 *   in order and leaves the admitted operation on the context for the executor.
 * - willSendResponse: the steps' response headers (RateLimit-*).
 */
export function requestPipelinePlugin(
  options: RequestPipelineOptions,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue, schema }) {
      const steps = options.steps();
      const caller: Caller = {
        principal: contextValue.principal,
        address: contextValue.clientAddress,
        transport: 'http',
      };
      const incoming = incomingOf(request);
      const refused =
        admitIncoming(steps, incoming, caller) ?? unvalidatableSubscription(incoming, schema);
      if (refused) {
        replaceRefusedDocument(request);
      } else if (incoming.query !== undefined) {
        request.query = incoming.query; // a document id resolved to its manifest text
      }
      return {
        async didResolveOperation({ schema, document, source, operation }) {
          if (refused) throw refused;
          const resolved = resolveOperation({
            schema,
            source,
            document,
            operationName: request.operationName,
            variables: request.variables,
            caller,
          });
          if (Array.isArray(resolved)) throw resolved[0]!;
          if (resolved.operation !== operation) {
            // Apollo resolved another operation than the spec's GetOperation: run neither.
            throw new GraphQLError('the request names no single operation', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          if (resolved.operationType === 'subscription') {
            throw badRequest(
              'subscriptions are served over graphql-ws or GraphQL over SSE (Accept: text/event-stream)',
            );
          }
          await runChecks(steps, resolved);
          // Whichever executor runs reads the operation name from here: the resolved one.
          if (resolved.operationName === undefined) delete request.operationName;
          else request.operationName = resolved.operationName;
          contextValue.resolved = resolved;
        },
        async willSendResponse({ response, contextValue: context }) {
          const resolved = context.resolved;
          if (!resolved?.admitted) return;
          for (const [name, value] of responseHeadersOf(steps, resolved)) {
            response.http.headers.set(name, value);
          }
        },
      };
    },
  };
}
