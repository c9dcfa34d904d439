import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isPublicErrorCode } from '../../contracts/canonical/error-codes.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

export type ErrorMaskingOptions = {
  /** Show the message of unexpected errors (never a stack trace). Default false (production). */
  exposeInternalMessages?: boolean;
  /** Called with every unexpected error, for the log. Default: the process's logger (error). */
  log?: (message: string, error: unknown) => void;
};

/** An error that set a 4xx HTTP status (`extensions.http.status`) without setting a code. */
function isCodelessClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Error masking as an Apollo Server `formatError`: typed errors pass with their code and path
 * (an unreachable subgraph is already BACKEND_UNAVAILABLE, see subgraph-fetcher.ts); anything
 * else becomes INTERNAL_SERVER_ERROR. Stack traces never leave the process.
 */
export function errorMaskingFormatter(options: ErrorMaskingOptions = {}) {
  const log = options.log ?? ((message, error) => processLogger().error({ err: error }, message));
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = { ...(formatted.extensions ?? {}) };
    delete extensions.stacktrace;
    delete extensions.exception;
    // @apollo/gateway attaches a failed subgraph response (internal URL, raw body): never shown.
    const fromSubgraphHttpError = extensions.response !== undefined;
    delete extensions.response;
    let code = typeof extensions.code === 'string' ? extensions.code : undefined;
    // A subgraph refusing the gateway's signed principal is a deployment fault (secrets differ),
    // not the caller's: never a 401 the client would retry with a fresh token.
    if (code === 'UNAUTHENTICATED' && fromSubgraphHttpError) code = undefined;
    const base = {
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    // Apollo Server refuses some malformed requests (APQ protocol: a persistedQuery of another
    // version, a hash that does not match the query) with a 4xx status but no code: the
    // request's fault, typed as such.
    if (code === 'INTERNAL_SERVER_ERROR' && isCodelessClientError(error)) code = 'BAD_REQUEST';
    if (isPublicErrorCode(code)) {
      return { message: formatted.message, ...base, extensions: { ...extensions, code } };
    }
    log('[gateway] unexpected error', error);
    return {
      message: options.exposeInternalMessages ? formatted.message : 'Internal server error',
      ...base,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
