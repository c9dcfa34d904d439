import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { EndReason } from './subscription-end.ts';

export type Transport = 'graphql-ws' | 'sse';

export type SubscriptionMetrics = {
  opened(transport: Transport): void;
  closed(transport: Transport): void;
  /** A client connection (WebSocket, SSE event stream) opened (+1) or closed (-1). */
  connection(transport: Transport, delta: 1 | -1): void;
  event(outcome: 'ok' | 'error'): void;
  /** Seconds from the event (its `occurredAt`, else its receipt) to its push to the client. */
  lag(seconds: number): void;
  /** Events buffered for clients changed by `delta`. */
  buffered(delta: number): void;
  ended(reason: EndReason): void;
  reload(outcome: 'continued' | 'ended'): void;
  upstream(subgraph: string, open: boolean): void;
};

type Spec = { name: string; help: string; labelNames?: readonly string[] };

/** Buckets of the lag histogram, seconds. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics of the subscription server: client connections and open subscriptions per
 * transport, events delivered by outcome, delivery lag, events buffered for clients,
 * subscriptions the gateway ended (slow consumer, token expired, schema reload), what reloads
 * did, open upstream connections and connects per subgraph.
 */
export function createSubscriptionMetrics(registry: Registry | undefined): SubscriptionMetrics {
  const registers = registry ? [registry] : [];
  // A gateway that listens again keeps its registry: re-use what is already registered there.
  const existing = <T>(name: string) => registry?.getSingleMetric(name) as T | undefined;
  const gauge = (spec: Spec) => existing<Gauge>(spec.name) ?? new Gauge({ ...spec, registers });
  const counter = (spec: Spec) =>
    existing<Counter>(spec.name) ?? new Counter({ ...spec, registers });
  const open = gauge({
    name: 'gateway_subscriptions_open',
    help: 'Client subscriptions currently open, by transport',
    labelNames: ['transport'],
  });
  const connections = gauge({
    name: 'gateway_subscription_connections',
    help: 'Client connections open, by transport (graphql-ws: WebSockets; sse: event streams)',
    labelNames: ['transport'],
  });
  const events = counter({
    name: 'gateway_subscription_events_total',
    help: 'Subscription events delivered to clients, by outcome (error: with errors, e.g. a Rest fetch failed)',
    labelNames: ['outcome'],
  });
  const lag =
    existing<Histogram>('gateway_subscription_lag_seconds') ??
    new Histogram({
      name: 'gateway_subscription_lag_seconds',
      help: "Seconds from an event's occurredAt (else its receipt from the subgraph) to its push to the client",
      buckets: LAG_BUCKETS,
      registers,
    });
  const buffered = gauge({
    name: 'gateway_subscription_buffered_events',
    help: 'Events received for client subscriptions and not yet written to the client',
  });
  const ended = counter({
    name: 'gateway_subscriptions_ended_total',
    help: 'Subscriptions the gateway ended, by reason (slow_consumer, token_expired, schema_reload)',
    labelNames: ['reason'],
  });
  const reloads = counter({
    name: 'gateway_subscription_reloads_total',
    help: 'Open subscriptions at a supergraph/policy reload, by outcome (continued, ended)',
    labelNames: ['outcome'],
  });
  const upstreamOpen = gauge({
    name: 'gateway_subscription_upstream_connections',
    help: 'Open graphql-ws connections to subgraphs (one multiplexed connection per subgraph)',
    labelNames: ['subgraph'],
  });
  const upstreamConnects = counter({
    name: 'gateway_subscription_upstream_connects_total',
    help: 'graphql-ws connections opened to subgraphs (reconnections included)',
    labelNames: ['subgraph'],
  });
  return {
    opened: (transport) => open.inc({ transport }),
    closed: (transport) => open.dec({ transport }),
    connection: (transport, delta) => connections.inc({ transport }, delta),
    event: (outcome) => events.inc({ outcome }),
    lag: (seconds) => lag.observe(seconds),
    buffered: (delta) => buffered.inc(delta),
    ended: (reason) => ended.inc({ reason }),
    reload: (outcome) => reloads.inc({ outcome }),
    upstream(subgraph, isOpen) {
      upstreamOpen.set({ subgraph }, isOpen ? 1 : 0);
      if (isOpen) upstreamConnects.inc({ subgraph });
    },
  };
}
