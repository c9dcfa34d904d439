import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { createEventQueue, type EventQueue } from './event-queue.ts';
import type { PreparedSubscription } from './prepare-subscription.ts';
import type { PrimaryPayload, RunEvent, UpstreamHeaders } from './rest-executor.ts';
import { CURSOR_ALIAS } from './upstream-operation.ts';
import type { UpstreamPool } from './upstream-pool.ts';

/** One event as sent to the client (already formatted and masked). */
export type ClientResult = {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
};

export type FormatError = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

export type FederatedSubscriptionDeps = {
  pool: UpstreamPool;
  upstreamHeaders: UpstreamHeaders;
  /** Builds the per-event Rest runner (rest-executor.ts). */
  restRunner(prepared: PreparedSubscription): RunEvent;
  formatError: FormatError;
  /** An event was pushed to the client (`ok` or with `errors`). */
  onEvent?: (outcome: 'ok' | 'error') => void;
  /** The subscription ended (completed, client gone, or shut down); called once. */
  onClose?: () => void;
};

function formatErrors(errors: readonly unknown[], format: FormatError): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted =
      error instanceof GraphQLError
        ? error.toJSON()
        : typeof error === 'object' && error !== null && 'message' in error
          ? (error as GraphQLFormattedError)
          : { message: String(error) };
    return format(formatted, error);
  });
}

function upstreamFailure(error: unknown): readonly unknown[] {
  // GraphQL errors sent by the subgraph; their locations point into the upstream document.
  if (Array.isArray(error)) {
    return (error as GraphQLFormattedError[]).map(({ message, extensions }) => ({
      message,
      ...(extensions ? { extensions } : {}),
    }));
  }
  return [
    new GraphQLError('the subscription source is unavailable', {
      extensions: { code: 'BACKEND_UNAVAILABLE' },
    }),
  ];
}

/**
 * Runs one client subscription: subscribes the Primary on the owning subgraph's shared
 * connection, and for each event runs the Rest of the plan and queues the merged result, in
 * event order. Rest errors travel on that event; the subscription continues. Upstream errors
 * (e.g. a bad cursor) arrive as a last event with errors, then the subscription completes.
 * The returned queue is what the transports iterate: `return()` (client complete, disconnect)
 * unsubscribes upstream at once; `end()` (shutdown) completes it after queued events.
 */
export function startFederatedSubscription(
  prepared: PreparedSubscription,
  deps: FederatedSubscriptionDeps,
): EventQueue<ClientResult> {
  const { upstream, principal, plan } = prepared;
  const run = deps.restRunner(prepared);
  let unsubscribe = () => {};
  const out = createEventQueue<ClientResult>(() => {
    unsubscribe();
    deps.onClose?.();
  });
  let chain = Promise.resolve();
  const then = (step: () => Promise<void> | void) => {
    chain = chain.then(step).catch((error: unknown) => {
      out.push({ errors: formatErrors([error], deps.formatError) });
    });
  };
  const request = {
    query: upstream.query,
    ...(upstream.operationName ? { operationName: upstream.operationName } : {}),
    variables: upstream.variables,
    // Re-evaluated on every (re)subscribe, so a short-lived signed principal stays fresh.
    get extensions() {
      return deps.upstreamHeaders(principal);
    },
  };
  unsubscribe = deps.pool.subscribe(plan.primary.serviceName, request, {
    next(payload) {
      if (out.closed) return;
      const data = payload.data as Record<string, Record<string, unknown> | null> | undefined;
      const root = data ? Object.values(data)[0] : undefined;
      const cursor = root?.[CURSOR_ALIAS];
      if (upstream.resumeVariable && typeof cursor === 'string') {
        upstream.variables[upstream.resumeVariable] = cursor;
      }
      then(async () => {
        const result: ExecutionResult = await run(payload as PrimaryPayload);
        const errors = result.errors?.length ? formatErrors(result.errors, deps.formatError) : [];
        deps.onEvent?.(errors.length ? 'error' : 'ok');
        out.push({ data: result.data ?? null, ...(errors.length ? { errors } : {}) });
      });
    },
    error(error) {
      then(() => {
        out.push({ errors: formatErrors(upstreamFailure(error), deps.formatError) });
        out.end();
      });
    },
    complete() {
      then(() => out.end());
    },
  });
  return out;
}
