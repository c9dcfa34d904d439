import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Masks and formats an error for the client (the gateway's formatError). */
export type FormatError = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

/** Why the gateway ended a subscription (the `reason` label of its metric). */
export type EndReason = 'slow_consumer' | 'token_expired' | 'schema_reload';

/** The errors an ended subscription's client receives (thrown to graphql-ws by the queue). */
export class SubscriptionEndedError extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors[0]?.message ?? 'subscription ended');
    this.name = 'SubscriptionEndedError';
  }
}

export const endedError = (errors: readonly GraphQLFormattedError[]) =>
  new SubscriptionEndedError(errors);

/**
 * graphql-ws `onError`: when the iterator threw a SubscriptionEndedError (graphql-ws wraps it in
 * a GraphQLError), the client receives its errors with their codes; undefined otherwise (the
 * library's default formatting).
 */
export function endedErrorsOf(
  errors: readonly GraphQLError[],
): GraphQLFormattedError[] | undefined {
  const cause = errors[0]?.originalError;
  return cause instanceof SubscriptionEndedError ? [...cause.errors] : undefined;
}

/** The errors of a subscription a reload ends: why it can no longer run, code kept. */
export function reloadErrors(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map(
    (error) =>
      new GraphQLError(`subscription ended by a schema or policy reload: ${error.message}`, {
        extensions: { ...error.extensions, reason: 'SCHEMA_RELOAD' },
      }),
  );
}

/** What the client receives when the Primary's upstream subscription fails. */
export function upstreamFailure(error: unknown): readonly unknown[] {
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

export function formatErrors(
  errors: readonly unknown[],
  format: FormatError,
): GraphQLFormattedError[] {
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

/**
 * A client more than `max` events behind. RATE_LIMITED is the closest code interfaces.md allows
 * (the client does not keep up with the rate); `reason: SLOW_CONSUMER` says which limit.
 */
export function slowConsumer(max: number): GraphQLError {
  return new GraphQLError(
    `subscription ended: the client fell more than ${max} events behind (slow consumer); subscribe again with \`after\` set to the last cursor received`,
    { extensions: { code: 'RATE_LIMITED', reason: 'SLOW_CONSUMER' } },
  );
}

export const tokenExpired = () =>
  new GraphQLError('token expired', { extensions: { code: 'UNAUTHENTICATED' } });
