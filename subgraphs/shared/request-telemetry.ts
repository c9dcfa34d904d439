import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace, type Context } from '@opentelemetry/api';
import { startServerSpan } from '../../contracts/runtime/telemetry/http-spans.ts';
import {
  REQUEST_ID_HEADER,
  requestIdFrom,
  requestLogger,
  type Logger,
} from '../../contracts/runtime/telemetry/logger.ts';

/** GraphQL span attributes (OpenTelemetry semantic conventions, still incubating there). */
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';

const SCOPE = Symbol('request scope');

/** What one request of a subgraph runs in: its span's context and its logger. */
export type RequestScope = {
  /** Run the request in this: its server span is active, the parent of every back-end call. */
  context: Context;
  /** `requestId` (the gateway's `x-request-id`, else a new one) and the span's trace ids. */
  log: Logger;
  /** Ends the span with the response's status, or the error that left it without one. */
  end(status: number | undefined, error?: unknown): void;
};

export type RequestTelemetry = {
  /** Starts a request: a server span, child of the caller's `traceparent`, and its logger. */
  begin(req: IncomingMessage): RequestScope;
  /**
   * Marks a context with its request (Apollo hands plugins the context only, a shallow copy of
   * it: the mark is a symbol-keyed property, which the copy keeps).
   */
  bind<T extends object>(contextValue: T, scope: RequestScope): T;
  /**
   * The Apollo plugin: names the active span `{type} {operation name}` once resolved, and
   * remembers the request of each error it reports, for {@link logFor}.
   */
  plugin: ApolloServerPlugin<BaseContext>;
  /** The logger of the request an error arose in (formatError sees no context), else `logger`. */
  logFor(error: unknown): Logger;
};

/**
 * Spans and request-scoped logs of one subgraph server (subgraph-server.ts). With tracing off
 * the span is a no-op and the lines carry the request id alone.
 */
export function createRequestTelemetry(name: string, logger: Logger): RequestTelemetry {
  const tracer = trace.getTracer(name);
  // Per-request state, on the request's own objects: collected with them.
  const errorLogs = new WeakMap<object, Logger>();
  return {
    begin(req) {
      const server = startServerSpan(tracer, req.method ?? 'GET', '/graphql', req.headers);
      const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      return {
        context: server.context,
        log: requestLogger(logger, requestId, server.span),
        end: server.end,
      };
    },
    bind(contextValue, scope) {
      (contextValue as Record<symbol, RequestScope>)[SCOPE] = scope;
      return contextValue;
    },
    logFor: (error) => (typeof error === 'object' && error && errorLogs.get(error)) || logger,
    plugin: {
      async requestDidStart({ contextValue }) {
        const scope = (contextValue as Record<symbol, RequestScope | undefined>)[SCOPE];
        return {
          async didResolveOperation({ operation, operationName }) {
            const span = scope && trace.getSpan(scope.context);
            if (!span?.isRecording() || !operation) return;
            const type = operation.operation;
            span.updateName(operationName ? `${type} ${operationName}` : type);
            span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
            if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
          },
          async didEncounterErrors({ errors }) {
            if (!scope) return;
            for (const error of errors) errorLogs.set(error, scope.log);
          },
        };
      },
    },
  };
}
