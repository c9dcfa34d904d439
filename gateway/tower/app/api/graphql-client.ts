import { requestOf, type Operation } from './operation.ts';

/** A refused or failed operation: the gateway's message and `extensions.code`. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type Response<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

/** The gateway's GraphQL endpoint, same origin as the page. */
export const GRAPHQL_PATH = '/graphql';

/**
 * POSTs `operation` to the gateway with the session's token; resolves its data, or rejects with
 * the first error (code UNAUTHENTICATED when the token is refused).
 */
export async function execute<T>(
  operation: Operation,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  let response: globalThis.Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(requestOf(operation, variables)),
    });
  } catch (error) {
    throw new GraphQLRequestError(
      `The gateway cannot be reached (${(error as Error).message})`,
      'NETWORK',
      0,
    );
  }
  let body: Response<T>;
  try {
    body = (await response.json()) as Response<T>;
  } catch {
    throw new GraphQLRequestError(
      `The gateway answered ${response.status} without JSON`,
      'BAD_RESPONSE',
      response.status,
    );
  }
  const error = body.errors?.[0];
  if (error || body.data == null) {
    throw new GraphQLRequestError(
      error?.message ?? `The gateway answered ${response.status} without data`,
      error?.extensions?.code ?? 'BAD_RESPONSE',
      response.status,
    );
  }
  return body.data;
}
