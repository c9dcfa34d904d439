/**
 * Request-shape checks the GraphQL-over-HTTP spec implies that Apollo Server leaves to later
 * steps, where a malformed value would end as a server error. Each returns a message for a
 * 400 BAD_REQUEST, or undefined when the request may go on. (Apollo Server itself already
 * refuses a non-object body, a non-string `query` or `operationName`, non-object `variables` or
 * `extensions`, and invalid JSON in GET parameters, with 400 BAD_REQUEST.)
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `extensions.persistedQuery` (Automatic Persisted Queries): absent, null, or
 * `{ version: 1, sha256Hash: "<string>" }`. Apollo Server answers other shapes with an
 * uncoded error (and a hash of another type as "provided sha does not match query").
 */
export function persistedQueryProblem(extensions: unknown): string | undefined {
  if (!isObject(extensions)) return undefined;
  const persisted = extensions.persistedQuery;
  if (persisted === undefined || persisted === null) return undefined;
  if (!isObject(persisted)) {
    return 'extensions.persistedQuery must be an object { version: 1, sha256Hash: "<hex>" }';
  }
  if (persisted.version !== 1) {
    return 'extensions.persistedQuery.version must be 1 (the only version of the protocol)';
  }
  if (typeof persisted.sha256Hash !== 'string') {
    return 'extensions.persistedQuery.sha256Hash must be a string (the SHA-256 of the query, hex)';
  }
  return undefined;
}

/**
 * The shape problems of a /graphql request: a POST's parsed JSON body, or a GET's query string
 * (`search`, with its `?`). Parameters that do not parse are left to Apollo Server.
 */
export function requestShapeProblem(
  method: string,
  body: unknown,
  search: string,
): string | undefined {
  if (method === 'POST') return isObject(body) ? persistedQueryProblem(body.extensions) : undefined;
  const extensions = new URLSearchParams(search).get('extensions');
  if (extensions === null) return undefined;
  try {
    return persistedQueryProblem(JSON.parse(extensions));
  } catch {
    return undefined;
  }
}
