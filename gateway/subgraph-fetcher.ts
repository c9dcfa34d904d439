import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { trace } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { Agent, request, type Dispatcher } from 'undici';
import { startClientSpan } from '../contracts/runtime/telemetry/http-spans.ts';
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
  /** Told of every fetch waited for: the subgraph, seconds, and whether it answered. */
  onFetch?: (subgraph: string, seconds: number, outcome: 'ok' | 'error') => void;
};

/** `headers` (an object or pairs) plus `extra`; `headers` itself when there is nothing to add. */
function withHeaders(
  headers: unknown,
  extra: Record<string, string>,
): Dispatcher.RequestOptions['headers'] {
  const given = headers as Dispatcher.RequestOptions['headers'];
  if (Object.keys(extra).length === 0) return given;
  const iterable =
    typeof (headers as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] === 'function';
  return {
    ...(iterable ? Object.fromEntries(headers as Iterable<[string, string]>) : given),
    ...extra,
  };
}

/**
 * Fetch for subgraph calls: one keep-alive connection pool per origin (undici), so the gateway
 * never pays a TCP handshake per subgraph request. A subgraph that cannot be reached surfaces as
 * BACKEND_UNAVAILABLE naming it, never as the socket error. Identical in-flight queries are
 * sent once (subgraph-dedup.ts). Each request sent is a client span, child of the active one
 * (the GraphQL request's, plugins/request-tracing.ts), whose `traceparent` it carries; the
 * waiters of a shared request have none of their own.
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
  const tracer = trace.getTracer('gateway');
  // undici.request, not fetch: no web streams per call, the body read once as text.
  const send = async (url: string, init?: SubgraphRequestInit): Promise<SubgraphAnswer> => {
    const method = init?.method ?? 'POST';
    const client = startClientSpan(tracer, method, () => url);
    try {
      const response = await request(url, {
        dispatcher: agent,
        method: method as Dispatcher.HttpMethod,
        headers: withHeaders(init?.headers, client.headers),
        body: init?.body as string | undefined,
      });
      const answer = {
        status: response.statusCode,
        headers: response.headers,
        body: await response.body.text(),
      };
      client.end(answer.status);
      return answer;
    } catch (error) {
      client.end(undefined, error);
      throw error;
    }
  };
  const shared = options.deduplicate === false ? send : deduplicateInFlight(send);
  return {
    fetcherFor(subgraph) {
      return (async (url: string, init?: SubgraphRequestInit) => {
        const started = process.hrtime.bigint();
        const took = () => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const answer = await shared(url, init);
          options.onFetch?.(subgraph, took(), 'ok');
          return new SubgraphResponse(url, answer);
        } catch (error) {
          options.onFetch?.(subgraph, took(), 'error');
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
