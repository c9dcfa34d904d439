import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { PreparedSubscription } from './prepare-subscription.ts';
import type { RunEvent } from './rest-executor.ts';

/** GraphQL span attributes (OpenTelemetry semantic conventions, still incubating there). */
const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';

/**
 * One span per subscription event (`subscription {operation name} event`, a consumer span): the
 * gateway's work for it, the Rest of the plan, with every subgraph fetch it makes as a child
 * (the fetcher starts its client spans under the active context). A subscription has no HTTP
 * request to hang them on; without this, each event's fetches started traces of their own.
 * Errors set the span's status, with the first error's code as `error.type`. With tracing off
 * the span is a no-op.
 */
export function tracedEvents(
  run: RunEvent,
  prepared: Pick<PreparedSubscription, 'operationName'>,
  tracer: Tracer = trace.getTracer('gateway'),
): RunEvent {
  const name = `subscription${prepared.operationName ? ` ${prepared.operationName}` : ''} event`;
  const attributes = {
    [ATTR_GRAPHQL_OPERATION_TYPE]: 'subscription',
    ...(prepared.operationName ? { [ATTR_GRAPHQL_OPERATION_NAME]: prepared.operationName } : {}),
  };
  return (payload) =>
    tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, async (span) => {
      try {
        const result = await run(payload);
        if (result.errors?.length) {
          const code = result.errors[0]?.extensions?.code;
          span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : 'GraphQLError');
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return result;
      } catch (error) {
        span.setAttribute(ATTR_ERROR_TYPE, (error as Error).name || 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
}
