import { GraphQLError } from 'graphql';
import { ERROR_CODES } from '../../contracts/canonical/error-codes.ts';
import { BackendError } from './backend-client.ts';
import { ODataError } from './odata-v2.ts';
import { ODataV4Error } from './odata-v4.ts';

/**
 * The `extensions.code` values a subgraph may return: a part of the public codes
 * (contracts/canonical/error-codes.ts, their one declaration).
 */
export const ErrorCode = {
  BadUserInput: ERROR_CODES.BadUserInput,
  NotFound: ERROR_CODES.NotFound,
  InvalidStateTransition: ERROR_CODES.InvalidStateTransition,
  Conflict: ERROR_CODES.Conflict,
  Forbidden: ERROR_CODES.Forbidden,
  BackendUnavailable: ERROR_CODES.BackendUnavailable,
  CursorExpired: ERROR_CODES.CursorExpired,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type InputProblem = { field: string; message: string };

export function badUserInput(
  message: string,
  problems: InputProblem[] = [],
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.BadUserInput,
      ...(problems.length ? { problems } : {}),
      ...extra,
    },
  });
}

export function notFound(kind: string, id: string): GraphQLError {
  return new GraphQLError(`${kind} ${id} not found`, {
    extensions: { code: ErrorCode.NotFound, kind, id },
  });
}

export function invalidStateTransition(
  action: string,
  currentState: string,
  allowedTransitions: readonly string[],
): GraphQLError {
  const allowed = allowedTransitions.length ? allowedTransitions.join(', ') : 'none';
  return new GraphQLError(
    `Cannot ${action} a promotion in state ${currentState}; allowed from here: ${allowed}`,
    {
      extensions: {
        code: ErrorCode.InvalidStateTransition,
        currentState,
        allowedTransitions: [...allowedTransitions],
      },
    },
  );
}

export function conflict(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Conflict, ...extensions } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}

/** A back-end (ERP, channel) failed or timed out; `backend` names it, never its payload. */
export function backendUnavailable(
  backend: string,
  reason: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(`${backend} is unavailable: ${reason}`, {
    extensions: { code: ErrorCode.BackendUnavailable, backend, ...extra },
  });
}

const TIMED_OUT = /timed out after \d+ ms$/;
const CONNECTION_FAILED = /connection failed \(([A-Z_]+)\)$/;

/**
 * Why a back-end call failed, in a closed vocabulary a client may see: `HTTP 503`, `timed out
 * after 2000 ms`, `circuit open`, `connection failed (ECONNREFUSED)`, `unexpected response`.
 * Never the back-end's own message, resource (entity set, service) names or URLs: adapters map
 * their failures through this and log the detail (`failureDetail`) on the server.
 */
export function backendFailureReason(error: unknown): string {
  if (error instanceof ODataError || error instanceof ODataV4Error) return `HTTP ${error.status}`;
  if (error instanceof BackendError) {
    if (error.status >= 500) return `HTTP ${error.status}`;
    const timedOut = TIMED_OUT.exec(error.message);
    if (timedOut) return timedOut[0];
    if (error.message.endsWith(': circuit open')) return 'circuit open';
    const connection = CONNECTION_FAILED.exec(error.message);
    if (connection) return `connection failed (${connection[1]})`;
  }
  return 'unexpected response';
}

/** The whole of a failure, for the server log only (it may name ERP resources). */
export function failureDetail(error: unknown): string {
  if (error instanceof ODataError || error instanceof ODataV4Error)
    return `HTTP ${error.status} ${error.code} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
