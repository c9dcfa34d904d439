import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, request, type Dispatcher } from 'undici';
import { deduplicateInFlight, type SubgraphRequestInit } from './subgraph-dedup.ts';
import { SubgraphResponse, type SubgraphAnswer } from './subgraph-response.ts';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

export type SubgraphFetcherOptions = {
  /** Timeout for one subgraph request (headers and body). */
  timeoutMs: number;
  /** Keep-alive connections per subgraph origin. Default 64. */
  connections?: number;
  /** Share identical in-flight subgraph queries (subgraph-dedup.ts). Default true. */
  deduplicate?: boolean;
};

/**
 * Fetch for subgraph calls: one keep-alive connection pool per origin (undici), so the gateway
 * never pays a TCP handshake per subgraph request. A subgraph that cannot be reached surfaces as
 * BACKEND_UNAVAILABLE naming it, never as the socket error. Identical in-flight queries are
 * sent once (subgraph-dedup.ts).
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): {
  fetcherFor(subgraph: string): Fetcher;
  close(): Promise<void>;
} {
  const agent = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  // undici.request, not fetch: no web streams per call, the body read once as text.
  const send = async (url: string, init?: SubgraphRequestInit): Promise<SubgraphAnswer> => {
    const response = await request(url, {
      dispatcher: agent,
      method: (init?.method ?? 'POST') as Dispatcher.HttpMethod,
      headers: init?.headers as Dispatcher.RequestOptions['headers'],
      body: init?.body as string | undefined,
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: await response.body.text(),
    };
  };
  const shared = options.deduplicate === false ? send : deduplicateInFlight(send);
  return {
    fetcherFor(subgraph) {
      return (async (url: string, init?: SubgraphRequestInit) => {
        try {
          return new SubgraphResponse(url, await shared(url, init));
        } catch (error) {
          throw new GraphQLError(`subgraph ${subgraph} is unavailable`, {
            originalError: error as Error,
            extensions: { code: 'BACKEND_UNAVAILABLE', serviceName: subgraph },
          });
        }
      }) as unknown as Fetcher;
    },
    close: () => agent.close(),
  };
}
