/**
 * The `extensions.code` values a client may see: THE one declaration. The gateway's error
 * masking passes exactly these (gateway/plugins/error-masking.ts), the subgraphs raise theirs
 * from it (subgraphs/shared/errors.ts), and the hostile-input tests allow exactly these. Any other
 * code reaches a client as INTERNAL_SERVER_ERROR.
 */
export const ERROR_CODES = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  RateLimited: 'RATE_LIMITED',
  BadUserInput: 'BAD_USER_INPUT',
  GraphqlValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  GraphqlParseFailed: 'GRAPHQL_PARSE_FAILED',
  OperationLimitExceeded: 'OPERATION_LIMIT_EXCEEDED',
  PersistedQueryNotFound: 'PERSISTED_QUERY_NOT_FOUND',
  InvalidStateTransition: 'INVALID_STATE_TRANSITION',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  BackendUnavailable: 'BACKEND_UNAVAILABLE',
  /** A subscription's `after` cursor is older than every event still held (bus and outbox). */
  CursorExpired: 'CURSOR_EXPIRED',
  BadRequest: 'BAD_REQUEST',
} as const;

export type PublicErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export const PUBLIC_ERROR_CODES: readonly PublicErrorCode[] = Object.values(ERROR_CODES);

export const isPublicErrorCode = (code: unknown): code is PublicErrorCode =>
  typeof code === 'string' && (PUBLIC_ERROR_CODES as readonly string[]).includes(code);
