/**
 * A GraphQL operation as the page imports it (gateway/tower/graphql-operations.plugin.ts): a
 * trusted document is sent by its id, any other by its text.
 */
export type Operation = { name: string; documentId?: string; query?: string };

/**
 * The HTTP request body of `operation`; over graphql-ws (`subscribe: true`) the payload, where
 * `query` must be a string: empty there, which the gateway reads as "by id".
 */
export function requestOf(
  operation: Operation,
  variables: Record<string, unknown>,
  subscribe = false,
) {
  if (!operation.documentId) {
    return { query: operation.query ?? '', operationName: operation.name, variables };
  }
  return {
    ...(subscribe ? { query: '' } : {}),
    operationName: operation.name,
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: operation.documentId } },
  };
}
