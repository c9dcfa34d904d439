import type { GraphQLError } from 'graphql';
import type { Caller, IncomingOperation, ResolvedOperation } from './resolved-operation.ts';

/** Why `check` runs: a new request, or an open subscription checked again after a reload. */
export type CheckMode = 'request' | 'recheck';

/**
 * One rule of the request pipeline (gateway/plugins/: trusted documents, operation limits,
 * authorize, throttle). The same steps run for queries and mutations over HTTP and for
 * subscriptions over graphql-ws and SSE (pipeline-step.ts runners); a step never sees a request
 * without an operation, and a refusal is a GraphQLError with `extensions.code` (and `http`).
 */
export type PipelineStep = {
  /** Short name, recorded in ResolvedOperation.passed. */
  readonly name: string;
  /**
   * Before parsing: refuse the request (returns the error) or rewrite `incoming.query` (a
   * document id resolved to its text). The cheapest refusals belong here.
   */
  admit?(incoming: IncomingOperation, caller: Caller): GraphQLError | undefined;
  /** After resolution, in pipeline order: throws a GraphQLError to refuse. */
  check?(operation: ResolvedOperation, mode: CheckMode): void | Promise<void>;
  /** Response headers of an admitted operation (e.g. RateLimit-*). */
  responseHeaders?(operation: ResolvedOperation): readonly [string, string][];
};

/** Runs every step's `admit` in order; the first refusal wins. */
export function admitIncoming(
  steps: readonly PipelineStep[],
  incoming: IncomingOperation,
  caller: Caller,
): GraphQLError | undefined {
  for (const step of steps) {
    const refused = step.admit?.(incoming, caller);
    if (refused) return refused;
  }
  return undefined;
}

/**
 * Runs every step's `check` in order, one after the other (a refused operation reaches no later
 * step: the cheap limits come before the authorization walk, the throttle charges only what
 * every other step allowed), and marks the operation admitted once all passed. A step that
 * throws anything but a GraphQLError refuses the operation all the same (fail closed).
 */
export async function runChecks(
  steps: readonly PipelineStep[],
  operation: ResolvedOperation,
  mode: CheckMode = 'request',
): Promise<void> {
  operation.admitted = false;
  operation.passed.length = 0;
  for (const step of steps) {
    await step.check?.(operation, mode);
    operation.passed.push(step.name);
  }
  operation.admitted = true;
}

/** Headers every step adds to an admitted operation's response. */
export function responseHeadersOf(
  steps: readonly PipelineStep[],
  operation: ResolvedOperation,
): [string, string][] {
  return steps.flatMap((step) => [...(step.responseHeaders?.(operation) ?? [])]);
}
