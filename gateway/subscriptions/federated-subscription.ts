import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { createEventQueue, type EventQueue } from './event-queue.ts';
import type { PreparedSubscription } from './prepare-subscription.ts';
import type { PrimaryPayload, RunEvent, UpstreamHeaders } from './rest-executor.ts';
import {
  endedError,
  formatErrors,
  slowConsumer,
  tokenExpired,
  upstreamFailure,
  type EndReason,
  type FormatError,
} from './subscription-end.ts';
import { runAt } from './token-expiry.ts';
import { CURSOR_ALIAS, OCCURRED_AT_ALIAS } from './upstream-operation.ts';
import type { UpstreamPool } from './upstream-pool.ts';

/** One event as sent to the client (already formatted and masked). */
export type ClientResult = {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
};

export type { FormatError } from './subscription-end.ts';

/** What the transport knows of the client's connection. */
export type SubscriptionSession = {
  /** Bytes written to the client's connection and not yet sent (WebSocket `bufferedAmount`). */
  bufferedBytes?: () => number;
  /** When the caller's token expires (ms since the epoch): the subscription ends then. */
  expiresAt?: number;
};

export type FederatedSubscriptionDeps = {
  pool: UpstreamPool;
  upstreamHeaders: UpstreamHeaders;
  /** Builds the per-event Rest runner (rest-executor.ts) of the current plan. */
  restRunner(prepared: PreparedSubscription): RunEvent;
  formatError: FormatError;
  /** Events received and not yet written to the client beyond which it is a slow consumer. */
  maxBufferedEvents: number;
  /** Bytes buffered on the client's connection (`session.bufferedBytes`) beyond which likewise. */
  maxBufferedBytes: number;
  /**
   * How an ended subscription tells its client: `error`, the iterator throws a
   * SubscriptionEndedError (graphql-ws sends an `error` message, no `complete`); `event`, a last
   * event with the errors, then complete (SSE).
   */
  endWith: 'error' | 'event';
  /** An event was pushed to the client (`ok` or with `errors`). */
  onEvent?: (outcome: 'ok' | 'error') => void;
  /** An event was handed to the transport, `seconds` after it happened (or was received). */
  onLag?: (seconds: number) => void;
  /** Events buffered for the client changed by `delta`. */
  onBuffered?: (delta: number) => void;
  /** The gateway ended the subscription (not the client, not the upstream). */
  onEnded?: (reason: EndReason) => void;
  /** The subscription ended (completed, client gone, or shut down); called once. */
  onClose?: () => void;
};

export type FederatedSubscription = {
  /** What the transports iterate. */
  readonly queue: EventQueue<ClientResult>;
  /** What it runs now (`switchTo` replaces it). */
  readonly prepared: PreparedSubscription;
  /** Continues on a re-prepared subscription (a reload) after the last event received. */
  switchTo(next: PreparedSubscription): void;
  /** Ends it with errors the client receives: after queued events, or at once with `drop`. */
  end(reason: EndReason, errors: readonly GraphQLError[], drop: boolean): void;
};

const withoutResume = ({ variables, resumeVariable }: PreparedSubscription['upstream']) =>
  JSON.stringify({ ...variables, ...(resumeVariable ? { [resumeVariable]: null } : {}) });

/**
 * Runs one client subscription: subscribes the Primary on the owning subgraph's shared
 * connection, and for each event runs the Rest of the plan and queues the merged result, in
 * event order. Rest errors travel on that event; the subscription continues. Upstream errors
 * (e.g. a bad cursor) arrive as a last event with errors, then the subscription completes.
 * A client more than `maxBufferedEvents` behind is ended (slow consumer, backlog dropped); so is
 * one whose token expires. `return()` (client complete, disconnect) unsubscribes upstream at
 * once; `queue.end()` (shutdown) completes it after queued events.
 */
export function startFederatedSubscription(
  initial: PreparedSubscription,
  deps: FederatedSubscriptionDeps,
  session: SubscriptionSession = {},
): FederatedSubscription {
  let current = initial;
  let run = deps.restRunner(initial);
  let generation = 0;
  let pending = 0; // received, Rest not finished
  let unsubscribe = () => {};
  let cancelExpiry = () => {};
  const since = new WeakMap<ClientResult, number>();
  const out = createEventQueue<ClientResult>(
    () => {
      generation += 1;
      unsubscribe();
      cancelExpiry();
      deps.onClose?.();
    },
    {
      onSize: (delta) => deps.onBuffered?.(delta),
      onTake(value) {
        const at = since.get(value);
        if (at !== undefined) deps.onLag?.(Math.max(0, Date.now() - at) / 1000);
      },
    },
  );
  let chain = Promise.resolve();
  const then = (step: () => Promise<void> | void) => {
    chain = chain.then(step).catch((error: unknown) => {
      out.push({ errors: formatErrors([error], deps.formatError) });
    });
  };

  function end(reason: EndReason, errors: readonly GraphQLError[], drop: boolean) {
    if (out.closed) return;
    generation += 1;
    unsubscribe();
    const finish = () => {
      if (out.closed) return;
      deps.onEnded?.(reason);
      const formatted = formatErrors(errors, deps.formatError);
      if (drop) out.clear();
      if (deps.endWith === 'error') {
        out.fail(endedError(formatted));
      } else {
        out.push({ errors: formatted });
        out.end();
      }
    };
    if (drop) finish();
    else then(finish);
  }

  function subscribeUpstream() {
    const mine = ++generation;
    const { upstream, principal } = current;
    const request = {
      query: upstream.query,
      ...(upstream.operationName ? { operationName: upstream.operationName } : {}),
      variables: upstream.variables,
      // Re-evaluated on every (re)subscribe, so a short-lived signed principal stays fresh.
      get extensions() {
        return deps.upstreamHeaders(principal);
      },
    };
    unsubscribe = deps.pool.subscribe(current.plan.primary.serviceName, request, {
      next(payload) {
        if (out.closed || mine !== generation) return;
        const behind = pending + out.size;
        if (
          behind >= deps.maxBufferedEvents ||
          (session.bufferedBytes?.() ?? 0) > deps.maxBufferedBytes
        ) {
          return end('slow_consumer', [slowConsumer(deps.maxBufferedEvents)], true);
        }
        const data = payload.data as Record<string, Record<string, unknown> | null> | undefined;
        const root = data ? Object.values(data)[0] : undefined;
        const cursor = root?.[CURSOR_ALIAS];
        if (upstream.resumeVariable && typeof cursor === 'string') {
          upstream.variables[upstream.resumeVariable] = cursor;
        }
        const occurredAt = Date.parse(String(root?.[OCCURRED_AT_ALIAS] ?? ''));
        const at = Number.isNaN(occurredAt) ? Date.now() : occurredAt;
        const runner = run; // the plan this event was received under
        pending += 1;
        deps.onBuffered?.(1);
        then(async () => {
          try {
            const result: ExecutionResult = await runner(payload as PrimaryPayload);
            const errors = result.errors?.length
              ? formatErrors(result.errors, deps.formatError)
              : [];
            deps.onEvent?.(errors.length ? 'error' : 'ok');
            const value = { data: result.data ?? null, ...(errors.length ? { errors } : {}) };
            since.set(value, at);
            out.push(value);
          } finally {
            pending -= 1;
            deps.onBuffered?.(-1);
          }
        });
      },
      error(error) {
        if (mine !== generation) return;
        then(() => {
          out.push({ errors: formatErrors(upstreamFailure(error), deps.formatError) });
          out.end();
        });
      },
      complete() {
        if (mine !== generation) return;
        then(() => out.end());
      },
    });
  }

  subscribeUpstream();
  if (session.expiresAt !== undefined) {
    cancelExpiry = runAt(session.expiresAt, () => end('token_expired', [tokenExpired()], true));
  }
  return {
    queue: out,
    get prepared() {
      return current;
    },
    switchTo(next) {
      if (out.closed) return;
      run = deps.restRunner(next);
      const sameUpstream =
        next.plan.primary.serviceName === current.plan.primary.serviceName &&
        next.upstream.query === current.upstream.query &&
        withoutResume(next.upstream) === withoutResume(current.upstream);
      if (sameUpstream) {
        // The upstream subscription stays as it is: not a single event missed or repeated.
        current = { ...next, upstream: current.upstream };
        return;
      }
      const from = current.upstream.resumeVariable;
      const to = next.upstream.resumeVariable;
      const cursor = from ? current.upstream.variables[from] : undefined;
      if (to && cursor != null) next.upstream.variables[to] = cursor;
      unsubscribe();
      current = next;
      subscribeUpstream();
    },
    end,
  };
}
