import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Registry } from 'prom-client';
import type { AuthorizationPolicy } from '../policies/authorization-policy.ts';
import { PRINCIPAL_HEADER, type PrincipalSigner } from './forward-principal.ts';
import type { PipelineStep } from './pipeline/pipeline-step.ts';
import type { Authenticator } from './plugins/authenticate.ts';
import { throttlePolicyOf, type ThrottleOptions } from './plugins/throttle.ts';
import type { FormatError } from './subscriptions/federated-subscription.ts';
import {
  createSubscriptionServer,
  type SubscriptionServer,
  type SubscriptionServerOptions,
} from './subscriptions/subscription-server.ts';
import type { SupergraphArtifacts } from './supergraph-artifacts.ts';

/** Buffer limits of one subscription (subscriptions/subscription-server.ts has the defaults). */
export type SubscriptionTuning = Pick<
  SubscriptionServerOptions,
  'maxBufferedEvents' | 'maxBufferedBytes'
>;

export type GatewaySubscriptionsOptions = {
  /** The supergraph in force when the gateway starts listening. */
  supergraph: SupergraphArtifacts;
  subgraphUrls: Record<string, string>;
  authenticate: Authenticator | undefined;
  /** The very steps the queries run: trusted documents, limits, authorize, throttle. */
  steps: () => readonly PipelineStep[];
  introspection: AuthorizationPolicy['introspection'];
  /** The queries' throttle: its policy's per-client subscription limit applies. Default none. */
  throttle: ThrottleOptions | undefined;
  /** Signs the principal forwarded upstream (forward-principal.ts). */
  signPrincipal: PrincipalSigner;
  fetcherFor: (subgraph: string) => RemoteGraphQLDataSource['fetcher'];
  formatError: FormatError;
  registry: Registry;
  maxBodyBytes: number | undefined;
  tuning: SubscriptionTuning | undefined;
};

/**
 * The gateway's subscriptions (graphql-ws on `upgrade`, SSE on /graphql: gateway/subscriptions/),
 * wired to what its queries use: the same steps, principal signing, fetcher, error masking and
 * metrics registry.
 */
export function createGatewaySubscriptions(
  options: GatewaySubscriptionsOptions,
): SubscriptionServer {
  const throttle = options.throttle;
  return createSubscriptionServer({
    supergraph: options.supergraph,
    subgraphUrls: options.subgraphUrls,
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    steps: options.steps,
    introspection: options.introspection,
    ...(throttle
      ? { maxSubscriptionsPerClient: () => throttlePolicyOf(throttle).subscriptions.perClient }
      : {}),
    upstreamHeaders: (principal) => ({ [PRINCIPAL_HEADER]: options.signPrincipal(principal) }),
    fetcherFor: options.fetcherFor,
    formatError: options.formatError,
    registry: options.registry,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...options.tuning,
  });
}
