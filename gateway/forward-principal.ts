import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GraphQLError } from 'graphql';
import {
  ANONYMOUS_PRINCIPAL,
  checkPrincipalSecrets,
  PRINCIPAL_HEADER,
  PRINCIPAL_LIFETIME_SECONDS,
  principalClaims,
  signPrincipalToken,
} from '../contracts/protocol/principal-token.ts';
import { asksNoCache } from '../contracts/protocol/cache-control.ts';
import { REQUEST_ID_HEADER } from '../contracts/runtime/telemetry/logger.ts';
import { staleSourcesOf } from './plugins/freshness.ts';
import type { GatewayContext, Principal } from './principal.ts';
import { subgraphFieldErrors, subgraphInputError } from './validation/subgraph-input-errors.ts';

/**
 * Signs the caller's principal for the subgraphs in the wire format of
 * contracts/protocol/principal-token.ts (the one codec; subgraphs/shared/forwarded-principal.ts
 * verifies with it). One token is reused per principal until half its lifetime has passed, so
 * signing is not per request.
 */
export { PRINCIPAL_HEADER };

export type PrincipalSignerOptions = {
  /** The first secret signs (the subgraphs accept every secret in their list). */
  secret: string;
  /** Lifetime of a forwarded token. Default PRINCIPAL_LIFETIME_SECONDS (120 s). */
  ttlSeconds?: number;
  clock?: () => number;
};

export type PrincipalSigner = (principal: Principal | undefined) => string;

export function createPrincipalSigner(options: PrincipalSignerOptions): PrincipalSigner {
  checkPrincipalSecrets([options.secret]);
  const ttl = options.ttlSeconds ?? PRINCIPAL_LIFETIME_SECONDS;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { token: string; renewAt: number }>();
  return (principal = ANONYMOUS_PRINCIPAL) => {
    const key = JSON.stringify(principalClaims(principal));
    const now = clock();
    const hit = cache.get(key);
    if (hit && hit.renewAt > now) return hit.token;
    const token = signPrincipalToken(principal, options.secret, now, ttl);
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, { token, renewAt: now + (ttl * 1000) / 2 });
    return token;
  };
}

type Received = Parameters<
  NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>
>[0];

export type ForwardingOptions = {
  url: string;
  fetcher: RemoteGraphQLDataSource['fetcher'];
  sign: PrincipalSigner;
  /**
   * Client request headers copied to every subgraph request (lower-case names). Default none:
   * subgraphs trust the signed principal, not the client's token. Benchmarks forward
   * `authorization` to defeat deduplication the way a per-user header would.
   */
  forwardHeaders?: readonly string[];
};

/**
 * A subgraph data source that adds the signed principal, the request's id (and any forwarded
 * headers). A subgraph
 * refusing the caller's input (HTTP 400 BAD_USER_INPUT / GRAPHQL_VALIDATION_FAILED, or such
 * errors in a 200) reaches the caller as BAD_USER_INPUT (validation/subgraph-input-errors.ts);
 * any other failed answer stays an error error-masking.ts hides.
 */
export class PrincipalForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly sign: PrincipalSigner;
  private readonly forwardHeaders: readonly string[];

  constructor(options: ForwardingOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.sign = options.sign;
    this.forwardHeaders = options.forwardHeaders ?? [];
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    // Health checks and schema fetches run without a request context: they act as anonymous.
    const context = 'context' in options ? options.context : undefined;
    headers.set(PRINCIPAL_HEADER, this.sign(context?.principal));
    // The subgraph's lines about this request carry the gateway's request id.
    if (context?.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
    if (!('incomingRequestContext' in options)) return;
    const incoming = options.incomingRequestContext.request.http?.headers;
    // A caller asking for fresh answers (Cache-Control: no-cache) skips the subgraphs' caches.
    if (asksNoCache(incoming?.get('cache-control'))) headers.set('cache-control', 'no-cache');
    for (const name of this.forwardHeaders) {
      const value = incoming?.get(name);
      if (value != null) headers.set(name, value);
    }
  }

  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const answer = error.extensions.response as { status?: number; body?: unknown } | undefined;
    return subgraphInputError(answer?.status ?? response.status, answer?.body) ?? error;
  }

  override didReceiveResponse({ response, context }: Received): Received['response'] {
    const stale = staleSourcesOf(response.extensions);
    if (stale.length > 0) context.stale?.push(...stale);
    if (!response.errors?.length) return response;
    return {
      ...response,
      errors: subgraphFieldErrors(response.errors, response.data !== undefined),
    };
  }
}
