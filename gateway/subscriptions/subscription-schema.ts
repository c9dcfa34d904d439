import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { AuthorizationPolicy } from '../../policies/authorization-policy.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { SupergraphArtifacts } from '../supergraph-artifacts.ts';
import { createSubscriptionPreparer } from './prepare-subscription.ts';
import { createRestExecutor, type UpstreamHeaders } from './rest-executor.ts';
import { createSubscriptionPlanner } from './subscription-planner.ts';
import type { ResumeConvention } from './upstream-operation.ts';

export type SubscriptionSchemaOptions = {
  /** The supergraph as loaded (gateway/supergraph-artifacts.ts). */
  supergraph: SupergraphArtifacts;
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
 * Planner, subscription preparer and Rest executor of one supergraph (built by
 * buildSupergraphArtifacts, which refuses one that cannot run).
 */
export function createSubscriptionSchema(options: SubscriptionSchemaOptions) {
  const planner = createSubscriptionPlanner({ supergraph: options.supergraph });
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
