import { tracedEvents } from './subscription-tracing.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Registry } from 'prom-client';
import {
  DEFAULT_AUTHORIZATION_POLICY,
  type AuthorizationPolicy,
} from '../../policies/authorization-policy.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { Authenticator } from '../plugins/authenticate.ts';
import { errorMaskingFormatter } from '../plugins/error-masking.ts';
import { createSubgraphFetcher } from '../subgraph-fetcher.ts';
import type { SupergraphArtifacts } from '../supergraph-artifacts.ts';
import {
  startFederatedSubscription,
  type FederatedSubscription,
  type FormatError,
  type SubscriptionSession,
} from './federated-subscription.ts';
import type { PreparedSubscription } from './prepare-subscription.ts';
import type { UpstreamHeaders } from './rest-executor.ts';
import { createSseTransport, isSseRequest } from './sse-transport.ts';
import { reloadErrors } from './subscription-end.ts';
import { createSubscriptionMetrics, type Transport } from './subscription-metrics.ts';
import { createSubscriptionSchema } from './subscription-schema.ts';
import { createSubscriptionSlots } from './subscription-slots.ts';
import type { ResumeConvention } from './upstream-operation.ts';
import { createUpstreamPool } from './upstream-pool.ts';
import { createWsTransport } from './ws-transport.ts';

export type SubscriptionServerOptions = {
  /** The supergraph as loaded (gateway/supergraph-artifacts.ts). */
  supergraph: SupergraphArtifacts;
  /** Subgraph name → URL (http); the upstream graphql-ws URL is the same with ws://. */
  subgraphUrls: Record<string, string>;
  /** The queries' Authenticator (plugins/authenticate.ts). Default none: every caller anonymous. */
  authenticate?: Authenticator;
  /**
   * The request pipeline's steps, the very list the queries run (plugins/index.ts
   * `pipelineSteps`): trusted documents, limits, authorize, throttle. Required.
   */
  steps: () => readonly PipelineStep[];
  /**
   * Who may introspect (policies/authorization.yaml): only they see "Did you mean ...?" in
   * validation errors, as over HTTP (plugins/schema-suggestions.ts). Default: internal tokens.
   */
  introspection?: AuthorizationPolicy['introspection'];
  /**
   * Open subscriptions one client may hold at once (its token's client id or subject; anonymous
   * callers by address); one more is refused with RATE_LIMITED. Default 20.
   */
  maxSubscriptionsPerClient?: () => number;
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
  /** Resumption convention of subscription fields. Default `{ argument: 'after', cursorField: 'cursor', timeField: 'occurredAt' }`. */
  resume?: ResumeConvention;
  /** Upstream reconnection attempts before subscriptions fail with BACKEND_UNAVAILABLE. Default 10. */
  upstreamRetryAttempts?: number;
  /**
   * Events of one subscription received and not yet written to its client; one more and the
   * subscription ends as a slow consumer (RATE_LIMITED, reason SLOW_CONSUMER). Default 1000.
   */
  maxBufferedEvents?: number;
  /** Bytes buffered on a client's WebSocket / event stream beyond which likewise. Default 16 MiB. */
  maxBufferedBytes?: number;
};

export type ReloadOptions = {
  /** The new supergraph, built (and so checked) by buildSupergraphArtifacts. */
  supergraph: SupergraphArtifacts;
  /**
   * Called once the new supergraph is known to be usable, before open subscriptions are checked
   * again: the caller swaps what the steps read (the authorizer, the cost directives) here.
   */
  onSwap?: () => void;
};

export type SubscriptionServer = {
  /** Serves graphql-ws on the HTTP server's `upgrade` for `path`. */
  attach(server: Server): void;
  /** Serves the request when it is GraphQL over SSE (true), else leaves it alone (false). */
  handleSse(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * New subscriptions use the new supergraph; every open one goes through the pipeline again
   * (a recheck: not charged) and continues after the last event it received, or ends with the
   * reason (GRAPHQL_VALIDATION_FAILED, FORBIDDEN...) when it no longer validates or is no longer
   * allowed. Throws, changing nothing, when the supergraph cannot be planned.
   */
  reload(options: ReloadOptions): Promise<{ continued: number; ended: number }>;
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
  const ownFetcher = options.fetcherFor ? undefined : createSubgraphFetcher({ timeoutMs: 10_000 });
  const schemaFor = (supergraph: SupergraphArtifacts) =>
    createSubscriptionSchema({
      supergraph,
      steps: options.steps,
      introspection: options.introspection ?? DEFAULT_AUTHORIZATION_POLICY.introspection,
      subgraphUrls: options.subgraphUrls,
      fetcherFor: options.fetcherFor ?? ownFetcher!.fetcherFor,
      upstreamHeaders,
      resume: options.resume ?? {
        argument: 'after',
        cursorField: 'cursor',
        timeField: 'occurredAt',
      },
    });
  let schema = schemaFor(options.supergraph);
  const urls = { ...schema.urls }; // the pool reads it when it first connects to a subgraph
  const metrics = createSubscriptionMetrics(options.registry);
  const pool = createUpstreamPool({
    urls,
    connectionParams: () => upstreamHeaders(undefined),
    ...(options.upstreamRetryAttempts !== undefined
      ? { retryAttempts: options.upstreamRetryAttempts }
      : {}),
    onConnection: (subgraph, open) => metrics.upstream(subgraph, open),
  });
  const formatError = options.formatError ?? errorMaskingFormatter();
  const active = new Set<FederatedSubscription>();
  const slots = createSubscriptionSlots(options.maxSubscriptionsPerClient ?? (() => 20));

  const startFor =
    (transport: Transport) => (prepared: PreparedSubscription, session: SubscriptionSession) => {
      const subscription: FederatedSubscription = startFederatedSubscription(
        prepared,
        {
          pool,
          upstreamHeaders,
          formatError,
          restRunner: (p) =>
            tracedEvents(
              schema.restExecutor(p.plan, p.document, p.operationName, p.variables, p.principal),
              p,
            ),
          maxBufferedEvents: options.maxBufferedEvents ?? 1000,
          maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
          endWith: transport === 'graphql-ws' ? 'error' : 'event',
          onEvent: (outcome) => metrics.event(outcome),
          onLag: (seconds) => metrics.lag(seconds),
          onBuffered: (delta) => metrics.buffered(delta),
          onEnded: (reason) => metrics.ended(reason),
          onClose: () => {
            slots.release(subscription.prepared);
            active.delete(subscription);
            metrics.closed(transport);
          },
        },
        session,
      );
      slots.started(prepared);
      active.add(subscription);
      metrics.opened(transport);
      return subscription.queue;
    };
  const common = {
    path,
    schema: () => schema.planner.schema,
    authenticate: options.authenticate,
    async prepare(...[request, caller]: Parameters<typeof schema.prepare>) {
      const prepared = await schema.prepare(request, caller);
      if (Array.isArray(prepared)) return prepared;
      const refused = slots.reserve(prepared);
      return refused ? [refused] : prepared;
    },
  };
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const ws = createWsTransport({
    ...common,
    start: startFor('graphql-ws'),
    maxPayloadBytes: maxBytes,
    onConnection: (delta) => metrics.connection('graphql-ws', delta),
  });
  const sse = createSseTransport({
    ...common,
    start: startFor('sse'),
    maxBodyBytes: maxBytes,
    onStream: (delta) => metrics.connection('sse', delta),
  });

  return {
    attach: (server) => ws.attach(server),
    async handleSse(req, res) {
      if (!isSseRequest(req, path)) return false;
      await sse.handle(req, res);
      return true;
    },
    async reload(next) {
      const nextSchema = schemaFor(next.supergraph); // throws: nothing changed
      // One synchronous step: no request sees the caller's half and not this one's.
      next.onSwap?.();
      schema = nextSchema;
      Object.assign(urls, nextSchema.urls);
      let continued = 0;
      let ended = 0;
      for (const subscription of [...active]) {
        const { request, caller } = subscription.prepared;
        const prepared = await schema.prepare(request, caller, 'recheck');
        if (Array.isArray(prepared)) {
          subscription.end('schema_reload', reloadErrors(prepared), false);
          metrics.reload('ended');
          ended += 1;
        } else {
          slots.transfer(subscription.prepared, prepared);
          subscription.switchTo(prepared);
          metrics.reload('continued');
          continued += 1;
        }
      }
      return { continued, ended };
    },
    async close(reason = 'gateway shutting down') {
      for (const subscription of active) subscription.queue.end();
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
