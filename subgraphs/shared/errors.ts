import { GraphQLError } from 'graphql';
import { ERROR_CODES } from '../../contracts/canonical/error-codes.ts';

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
export function backendUnavailable(backend: string, reason: string): GraphQLError {
  return new GraphQLError(`${backend} is unavailable: ${reason}`, {
    extensions: { code: ErrorCode.BackendUnavailable, backend },
  });
}
