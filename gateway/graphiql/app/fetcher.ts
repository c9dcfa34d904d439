import { getOperationAST, parse, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** The gateway's GraphQL endpoint, same origin as the page (HTTP and graphql-ws). */
export const GRAPHQL_PATH = '/graphql';

/** What GraphiQL hands a fetcher (graphiql's `Fetcher` type, without its React typings). */
export type FetcherParams = {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
};
export type FetcherOptions = {
  headers?: Record<string, unknown>;
  documentAST?: DocumentNode;
};
type Result = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};
export type Fetcher = (
  params: FetcherParams,
  options?: FetcherOptions,
) => Promise<Result> | AsyncIterable<Result>;

export type FetcherSetup = {
  /** The pasted token, sent as `Authorization: Bearer` and in `connection_init`; none: anonymous. */
  token: string | undefined;
  /**
   * Called after each introspection (GraphiQL's `IntrospectionQuery`: the docs explorer and
   * autocompletion): with the gateway's refusal, or undefined when it answered a schema.
   */
  onIntrospection(refusal: string | undefined): void;
};

function isIntrospection(params: FetcherParams): boolean {
  return params.operationName === 'IntrospectionQuery';
}

/** Whether the operation to run is a subscription (parsed here: the editor's AST may lag). */
function isSubscription(params: FetcherParams): boolean {
  try {
    const operation = getOperationAST(parse(params.query), params.operationName ?? undefined);
    return operation?.operation === 'subscription';
  } catch {
    return false; // not GraphQL: the gateway answers why
  }
}

/** The editor's headers (strings only), then the token's Authorization: the token field wins. */
function headersOf(setup: FetcherSetup, options: FetcherOptions | undefined) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options?.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  if (setup.token) headers.authorization = `Bearer ${setup.token}`;
  return headers;
}

async function post(params: FetcherParams, headers: Record<string, string>): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      },
      body: JSON.stringify({
        query: params.query,
        ...(params.operationName ? { operationName: params.operationName } : {}),
        ...(params.variables ? { variables: params.variables } : {}),
      }),
    });
  } catch (error) {
    return { errors: [{ message: `The gateway cannot be reached (${(error as Error).message})` }] };
  }
  // Refusals (401, 403, 400...) carry GraphQL errors in the body: GraphiQL shows them as is.
  try {
    return (await response.json()) as Result;
  } catch {
    return { errors: [{ message: `The gateway answered ${response.status} without JSON` }] };
  }
}

/**
 * GraphiQL's fetcher for the gateway: queries and mutations over HTTP POST, subscriptions over
 * graphql-ws (`{ authorization: 'Bearer ...' }` in `connection_init`, as
 * gateway/subscriptions/ expects), each with the pasted token. A new token makes a new fetcher
 * (GraphiQL introspects again); `dispose` closes its WebSocket.
 */
export function createFetcher(setup: FetcherSetup): { fetcher: Fetcher; dispose(): void } {
  let ws: Client | undefined;
  const socket = () =>
    (ws ??= createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
      connectionParams: setup.token ? { authorization: `Bearer ${setup.token}` } : {},
      retryAttempts: 0,
      lazy: true,
    }));

  const fetcher: Fetcher = (params, options) => {
    if (isSubscription(params)) {
      return socket().iterate({
        query: params.query,
        ...(params.operationName ? { operationName: params.operationName } : {}),
        ...(params.variables ? { variables: params.variables } : {}),
      }) as AsyncIterable<Result>;
    }
    const result = post(params, headersOf(setup, options));
    if (!isIntrospection(params)) return result;
    return result.then((body) => {
      const schema = body.data && '__schema' in body.data;
      const error = body.errors?.[0];
      setup.onIntrospection(
        schema
          ? undefined
          : `${error?.extensions?.code ? `${error.extensions.code}: ` : ''}${error?.message ?? 'no schema in the answer'}`,
      );
      return body;
    });
  };
  return { fetcher, dispose: () => void ws?.dispose() };
}
