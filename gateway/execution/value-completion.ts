import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';

/**
 * Value-completion errors (a null the gateway found for a non-null field, a leaf value of the
 * wrong type, an unknown `__typename`) as the GraphQL spec wants them: field errors in `errors`
 * with their path (the null already propagated to the nearest nullable parent). @apollo/gateway
 * 2.14 lists them only in `extensions.valueCompletion`; both executors report them through this
 * file, so they answer alike. As in @apollo/gateway, they are reported when no fetch failed (a
 * failed fetch's errors explain its nulls). The message names the type and field, never a URL;
 * error masking shows it as `Internal server error` in production, with its path.
 */
export function valueCompletionErrors(completion: readonly GraphQLError[]): GraphQLError[] {
  return completion.map(
    (error) =>
      new GraphQLError(error.message, {
        ...(error.path ? { path: error.path } : {}),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
  );
}

/** An @apollo/gateway result with its `extensions.valueCompletion` moved into `errors`. */
export function withValueCompletionErrors(result: GatewayExecutionResult): GatewayExecutionResult {
  const completion = result.extensions?.valueCompletion;
  if (!Array.isArray(completion) || completion.length === 0) return result;
  const { valueCompletion: _moved, ...extensions } = result.extensions!;
  return {
    errors: [...(result.errors ?? []), ...valueCompletionErrors(completion)],
    data: result.data,
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}
