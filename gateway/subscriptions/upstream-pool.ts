import type { ExecutionResult } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult, type Sink } from 'graphql-ws';
import WebSocket from 'ws';

export type UpstreamRequest = {
  query: string;
  operationName?: string;
  /** Read on every (re)subscribe: the caller may move a resume cursor forward in place. */
  variables: Record<string, unknown>;
  /** Read on every (re)subscribe (a getter re-signs a short-lived principal). */
  extensions: Record<string, unknown>;
};

export type UpstreamPoolOptions = {
  /** Subgraph name → its GraphQL URL (http[s]:// or ws[s]://). */
  urls: Record<string, string>;
  /** `connection_init` payload, evaluated on every (re)connect. Default none. */
  connectionParams?: () => Record<string, unknown>;
  /** Reconnection attempts before the subscriptions on a connection fail. Default 10. */
  retryAttempts?: number;
  /** Longest wait between attempts (exponential from 250 ms, with jitter). Default 5000. */
  maxRetryDelayMs?: number;
  /** Called when a subgraph connection opens (true) or closes (false). */
  onConnection?: (subgraph: string, open: boolean) => void;
};

export type UpstreamPool = {
  /** Subscribes on the subgraph's shared connection; returns the unsubscribe. */
  subscribe(
    subgraph: string,
    request: UpstreamRequest,
    sink: Sink<FormattedExecutionResult>,
  ): () => void;
  /** Open connections and connections ever opened, per subgraph. */
  stats(): Record<string, { open: boolean; connects: number }>;
  close(): Promise<void>;
};

const wsUrl = (url: string) => url.replace(/^http(s?):/, 'ws$1:');

/**
 * ONE multiplexed graphql-ws connection per subgraph, shared by every client subscription:
 * opened on the first subscription (lazy), closed when the last one ends, and reopened with
 * backoff when it drops, re-sending every active subscription (with its current variables and
 * extensions, so a resume cursor moved forward is honoured).
 */
export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const clients = new Map<string, Client>();
  const state = new Map<string, { open: boolean; connects: number }>();
  const maxDelay = options.maxRetryDelayMs ?? 5000;

  function clientFor(subgraph: string): Client {
    const existing = clients.get(subgraph);
    if (existing) return existing;
    const url = options.urls[subgraph];
    if (!url) throw new Error(`no URL for subgraph ${subgraph}`);
    const status = { open: false, connects: 0 };
    state.set(subgraph, status);
    const client = createClient({
      url: wsUrl(url),
      webSocketImpl: WebSocket,
      lazy: true,
      connectionParams: () => options.connectionParams?.() ?? {},
      retryAttempts: options.retryAttempts ?? 10,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        const delay = Math.min(maxDelay, 250 * 2 ** retries);
        await new Promise((resolve) =>
          setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)),
        );
      },
      keepAlive: 10_000,
      on: {
        connected: () => {
          status.open = true;
          status.connects += 1;
          options.onConnection?.(subgraph, true);
        },
        closed: () => {
          if (!status.open) return;
          status.open = false;
          options.onConnection?.(subgraph, false);
        },
      },
    });
    clients.set(subgraph, client);
    return client;
  }

  return {
    subscribe(subgraph, request, sink) {
      return clientFor(subgraph).subscribe<ExecutionResult['data']>(request, sink as never);
    },
    stats() {
      return Object.fromEntries([...state].map(([name, s]) => [name, { ...s }]));
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.dispose()));
      clients.clear();
    },
  };
}
