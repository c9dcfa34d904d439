import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { AuthorizationPolicy } from '../../policies/authorization-policy.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import { createSubscriptionPreparer } from './prepare-subscription.ts';
import { createRestExecutor, type UpstreamHeaders } from './rest-executor.ts';
import { createSubscriptionPlanner } from './subscription-planner.ts';
import type { ResumeConvention } from './upstream-operation.ts';

export type SubscriptionSchemaOptions = {
  supergraphSdl: string;
  /** The request pipeline's steps (the queries' own). */
  steps: () => readonly PipelineStep[];
  /** Who may introspect, and so see "Did you mean ...?" suggestions. */
  introspection: AuthorizationPolicy['introspection'];
  subgraphUrls: Record<string, string>;
  fetcherFor(subgraph: string): RemoteGraphQLDataSource['fetcher'];
  upstreamHeaders: UpstreamHeaders;
  resume: ResumeConvention;
};

/** Everything that depends on the supergraph and the policies: replaced whole by a reload. */
export type SubscriptionSchema = ReturnType<typeof createSubscriptionSchema>;

/**
 * Planner, subscription preparer and Rest executor of one supergraph. Throws when the
 * supergraph cannot be built (a reload then keeps what runs).
 */
export function createSubscriptionSchema(options: SubscriptionSchemaOptions) {
  const planner = createSubscriptionPlanner({ supergraphSdl: options.supergraphSdl });
  const urls = { ...planner.routingUrls, ...options.subgraphUrls };
  const prepare = createSubscriptionPreparer({
    planner,
    steps: options.steps,
    introspection: options.introspection,
    resume: options.resume,
  });
  const restExecutor = createRestExecutor({
    planner,
    urls,
    fetcherFor: options.fetcherFor,
    upstreamHeaders: options.upstreamHeaders,
  });
  return { planner, urls, prepare, restExecutor };
}
