import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import type { GatewayContext } from '../principal.ts';

type Executor = ApolloGateway['executor'];

export type RequestTracingOptions = {
  /**
   * Where the spans come from. Default: the `gateway` tracer of the provider startTracing
   * registered (contracts/runtime/telemetry/tracing.ts); none registered (tracing off), a no-op.
   */
  tracer?: Tracer;
};

/** GraphQL span attributes (OpenTelemetry semantic conventions, still incubating there). */
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';

const headerMap: TextMapGetter<HeaderMap> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key),
};

/**
 * One server span per GraphQL request over HTTP, child of the caller's `traceparent` when it
 * sent one, named `{type} {operation name}` once the operation is resolved. Left on the context
 * for {@link tracedExecutor}, which makes it the parent of every subgraph fetch
 * (subgraph-fetcher.ts). Errors set the span's status, with the first error's code as
 * `error.type`. With tracing off the span is a no-op and nothing is left on the context.
 * (graphql-ws and SSE subscriptions have no request: each event has its span instead,
 * subscriptions/subscription-tracing.ts.)
 */
export function requestTracingPlugin(
  options: RequestTracingOptions = {},
): ApolloServerPlugin<GatewayContext> {
  const tracer = options.tracer ?? trace.getTracer('gateway');
  return {
    async requestDidStart({ request, contextValue }) {
      const headers = request.http?.headers;
      const parent = headers ? propagation.extract(ROOT_CONTEXT, headers, headerMap) : ROOT_CONTEXT;
      const span = tracer.startSpan('GraphQL Operation', { kind: SpanKind.SERVER }, parent);
      if (!isSpanContextValid(span.spanContext())) return;
      contextValue.trace = trace.setSpan(parent, span);
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const type = operation.operation;
          span.updateName(operationName ? `${type} ${operationName}` : type);
          span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, type);
          if (operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, operationName);
        },
        async didEncounterErrors({ errors }) {
          const code = errors[0]?.extensions.code;
          span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : 'GraphQLError');
          span.setStatus({ code: SpanStatusCode.ERROR });
        },
        async willSendResponse({ response }) {
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.http.status ?? 200);
          span.end();
        },
      };
    },
  };
}

/**
 * Runs the executor (query planning and every subgraph fetch) with the request's span active,
 * so the fetches are its children; without one (tracing off) it is `inner` itself.
 */
export function tracedExecutor(inner: Executor): Executor {
  return (rc) => {
    const active = (rc.context as GatewayContext | undefined)?.trace;
    return active ? context.with(active, inner, undefined, rc) : inner(rc);
  };
}
