import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Registry } from 'prom-client';
import type { AuthorizationPolicy } from '../../policies/authorization-policy.ts';
import type { Authenticator } from '../plugins/authenticate.ts';
import { createOperationAuthorizer } from '../plugins/authorize.ts';
import { errorMaskingFormatter } from '../plugins/error-masking.ts';
import { readSecurityRequirements } from '../security/supergraph-security.ts';
import { createSubgraphFetcher } from '../subgraph-fetcher.ts';
import type { EventQueue } from './event-queue.ts';
import {
  startFederatedSubscription,
  type ClientResult,
  type FormatError,
} from './federated-subscription.ts';
import { createSubscriptionPreparer, type PreparedSubscription } from './prepare-subscription.ts';
import { createRestExecutor, type UpstreamHeaders } from './rest-executor.ts';
import { createSseTransport, isSseRequest } from './sse-transport.ts';
import { createSubscriptionMetrics, type Transport } from './subscription-metrics.ts';
import { createSubscriptionPlanner } from './subscription-planner.ts';
import type { ResumeConvention } from './upstream-operation.ts';
import { createUpstreamPool } from './upstream-pool.ts';
import { createWsTransport } from './ws-transport.ts';

export type SubscriptionServerOptions = {
  /** The composed supergraph WITH its security features (stripped here for planning). */
  supergraphSdl: string;
  /** Subgraph name → URL (http); the upstream graphql-ws URL is the same with ws://. */
  subgraphUrls: Record<string, string>;
  /** The queries' Authenticator (plugins/authenticate.ts). Default none: every caller anonymous. */
  authenticate?: Authenticator;
  /** The queries' authorization policy (policies/authorization.yaml). Default: no @policy rules. */
  authorization?: AuthorizationPolicy;
  /**
   * Headers that carry the caller to the subgraphs (the gateway-signed principal). Used as HTTP
   * headers on Rest fetches, as the subscribe payload's `extensions` upstream (the connection is
   * shared, so the principal travels per subscription), and with `undefined` as the
   * `connection_init` payload. Called on every (re)subscribe, so short-lived tokens stay fresh.
   * Default: none.
   */
  upstreamHeaders?: UpstreamHeaders;
  /** Fetch for Rest fetches (the gateway's pooled fetcher). Default: a pool of its own. */
  fetcherFor?: (subgraph: string) => RemoteGraphQLDataSource['fetcher'];
  /** Error formatting (the gateway's masking formatter). Default: masked, production style. */
  formatError?: FormatError;
  /** Registry for the subscription metrics. Default: none (not exposed). */
  registry?: Registry;
  /** Path for graphql-ws and SSE. Default /graphql. */
  path?: string;
  /** Largest SSE request body and graphql-ws message. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Resumption convention of subscription fields. Default `{ argument: 'after', cursorField: 'cursor' }`. */
  resume?: ResumeConvention;
  /** Upstream reconnection attempts before subscriptions fail with BACKEND_UNAVAILABLE. Default 10. */
  upstreamRetryAttempts?: number;
};

export type SubscriptionServer = {
  /** Serves graphql-ws on the HTTP server's `upgrade` for `path`. */
  attach(server: Server): void;
  /** Serves the request when it is GraphQL over SSE (true), else leaves it alone (false). */
  handleSse(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Completes every subscription, closes WebSockets with 1001 and `reason`, ends SSE streams. */
  close(reason?: string): Promise<void>;
  /** Open client subscriptions and upstream connections (for tests and readiness). */
  stats(): {
    subscriptions: number;
    upstream: Record<string, { open: boolean; connects: number }>;
  };
};

/** Federated subscriptions: graphql-ws and SSE downstream, one graphql-ws connection per subgraph upstream. */
export function createSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const path = options.path ?? '/graphql';
  const upstreamHeaders = options.upstreamHeaders ?? (() => ({}));
  const planner = createSubscriptionPlanner({ supergraphSdl: options.supergraphSdl });
  const urls = { ...planner.routingUrls, ...options.subgraphUrls };
  const ownFetcher = options.fetcherFor ? undefined : createSubgraphFetcher({ timeoutMs: 10_000 });
  const metrics = createSubscriptionMetrics(options.registry);
  const pool = createUpstreamPool({
    urls,
    connectionParams: () => upstreamHeaders(undefined),
    ...(options.upstreamRetryAttempts !== undefined
      ? { retryAttempts: options.upstreamRetryAttempts }
      : {}),
    onConnection: (subgraph, open) => metrics.upstream(subgraph, open),
  });
  const restExecutor = createRestExecutor({
    planner,
    urls,
    fetcherFor: options.fetcherFor ?? ownFetcher!.fetcherFor,
    upstreamHeaders,
  });
  const prepare = createSubscriptionPreparer({
    planner,
    authorize: createOperationAuthorizer({
      requirements: readSecurityRequirements(options.supergraphSdl),
      ...(options.authorization ? { policy: options.authorization } : {}),
    }),
    resume: options.resume ?? { argument: 'after', cursorField: 'cursor' },
  });
  const formatError = options.formatError ?? errorMaskingFormatter();
  const active = new Set<EventQueue<ClientResult>>();

  const startFor = (transport: Transport) => (prepared: PreparedSubscription) => {
    const queue = startFederatedSubscription(prepared, {
      pool,
      upstreamHeaders,
      formatError,
      restRunner: (p) =>
        restExecutor(p.plan, p.document, p.operationName, p.variables, p.principal),
      onEvent: (outcome) => metrics.event(outcome),
      onClose: () => {
        active.delete(queue);
        metrics.closed(transport);
      },
    });
    active.add(queue);
    metrics.opened(transport);
    return queue;
  };
  const common = { path, planner, authenticate: options.authenticate, prepare };
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const ws = createWsTransport({
    ...common,
    start: startFor('graphql-ws'),
    maxPayloadBytes: maxBytes,
  });
  const sse = createSseTransport({ ...common, start: startFor('sse'), maxBodyBytes: maxBytes });

  return {
    attach: (server) => ws.attach(server),
    async handleSse(req, res) {
      if (!isSseRequest(req, path)) return false;
      await sse.handle(req, res);
      return true;
    },
    async close(reason = 'gateway shutting down') {
      for (const queue of active) queue.end();
      // Let the transports send `complete` for every subscription before the connections close.
      await new Promise((resolve) => setImmediate(resolve));
      sse.close();
      await ws.close(reason);
      await pool.close();
      await ownFetcher?.close();
    },
    stats: () => ({ subscriptions: active.size, upstream: pool.stats() }),
  };
}
