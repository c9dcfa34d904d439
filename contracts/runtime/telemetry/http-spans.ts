import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';

/**
 * Spans around our own HTTP calls and servers, with W3C trace context (`traceparent`,
 * `tracestate`) injected into and extracted from headers by the propagator startTracing
 * registers. With tracing off nothing is registered: spans are non-recording, injection adds no
 * header, and the attribute callbacks are never called.
 */

/** The `traceparent`/`tracestate` headers carrying `ctx` (none when tracing is off). */
function traceHeaders(ctx: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

export type ClientSpan = {
  span: Span;
  /** Headers to send with the request: the new span's trace context. */
  headers: Record<string, string>;
  /** Ends the span with the response's status, or the error that left it without one. */
  end(status: number | undefined, error?: unknown): void;
};

/**
 * A client span for one outgoing HTTP request, child of the active span (a new trace when
 * there is none), named by the method as HTTP semantic conventions ask. `url` is read only when
 * the span records.
 */
export function startClientSpan(
  tracer: Tracer,
  method: string,
  url: () => string,
  attributes?: () => Attributes,
): ClientSpan {
  const parent = context.active();
  const span = tracer.startSpan(method, { kind: SpanKind.CLIENT }, parent);
  if (span.isRecording()) {
    const target = new URL(url());
    span.setAttributes({
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_URL_FULL]: `${target.origin}${target.pathname}`,
      [ATTR_SERVER_ADDRESS]: target.hostname,
      [ATTR_SERVER_PORT]: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
      ...attributes?.(),
    });
  }
  const headers = isSpanContextValid(span.spanContext())
    ? traceHeaders(trace.setSpan(parent, span))
    : {};
  return { span, headers, end: (status, error) => endHttpSpan(span, 400, status, error) };
}

/**
 * `send` (one HTTP request given the headers to add) in a client span of `tracer`'s, ended with
 * the answer's `statusCode` or the error `send` threw.
 */
export async function inClientSpan<T extends { statusCode: number }>(
  tracer: Tracer,
  method: string,
  url: string,
  send: (traceHeaders: Record<string, string>) => Promise<T>,
): Promise<T> {
  const client = startClientSpan(tracer, method, () => url);
  try {
    const answer = await send(client.headers);
    client.end(answer.statusCode);
    return answer;
  } catch (error) {
    client.end(undefined, error);
    throw error;
  }
}

/**
 * Ends an HTTP span with its response status (an error from 500, or from 400 for a client span:
 * semantic conventions leave a server's 4xx to the caller) or with the error that left it
 * without one.
 */
function endHttpSpan(
  span: Span,
  errorFrom: number,
  status: number | undefined,
  error: unknown,
): void {
  if (!span.isRecording()) return span.end();
  if (status !== undefined) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= errorFrom) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  } else if (error !== undefined) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    span.setAttribute(ATTR_ERROR_TYPE, String(code ?? name ?? 'Error'));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

export type ServerSpan = {
  span: Span;
  /** The context to run the request in: the span active, for its children. */
  context: Context;
  /** Ends the span with the response's status, or the error that left it without one. */
  end(status: number | undefined, error?: unknown): void;
};

/**
 * A server span for one incoming request, child of the caller's `traceparent` when it sent one.
 * Named `{method} {route}` as HTTP semantic conventions ask.
 */
export function startServerSpan(
  tracer: Tracer,
  method: string,
  route: string,
  headers: Record<string, string | string[] | undefined>,
): ServerSpan {
  // node's header names are lower case, as the propagator's own getter expects.
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER }, parent);
  if (span.isRecording()) {
    span.setAttributes({ [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route });
  }
  return {
    span,
    context: trace.setSpan(parent, span),
    end: (status, error) => endHttpSpan(span, 500, status, error),
  };
}
