import { Counter, Gauge, type Registry } from 'prom-client';

export type Transport = 'graphql-ws' | 'sse';

export type SubscriptionMetrics = {
  opened(transport: Transport): void;
  closed(transport: Transport): void;
  event(outcome: 'ok' | 'error'): void;
  upstream(subgraph: string, open: boolean): void;
};

type Spec = { name: string; help: string; labelNames: readonly string[] };

/**
 * Prometheus metrics of the subscription server: open client subscriptions per transport,
 * events delivered by outcome, open upstream connections and connects per subgraph.
 */
export function createSubscriptionMetrics(registry: Registry | undefined): SubscriptionMetrics {
  const registers = registry ? [registry] : [];
  // A gateway that listens again keeps its registry: re-use what is already registered there.
  const gauge = (spec: Spec) =>
    (registry?.getSingleMetric(spec.name) as Gauge | undefined) ??
    new Gauge({ ...spec, registers });
  const counter = (spec: Spec) =>
    (registry?.getSingleMetric(spec.name) as Counter | undefined) ??
    new Counter({ ...spec, registers });
  const open = gauge({
    name: 'gateway_subscriptions_open',
    help: 'Client subscriptions currently open, by transport',
    labelNames: ['transport'],
  });
  const events = counter({
    name: 'gateway_subscription_events_total',
    help: 'Subscription events delivered to clients, by outcome (error: with errors, e.g. a Rest fetch failed)',
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
    event: (outcome) => events.inc({ outcome }),
    upstream(subgraph, isOpen) {
      upstreamOpen.set({ subgraph }, isOpen ? 1 : 0);
      if (isOpen) upstreamConnects.inc({ subgraph });
    },
  };
}
