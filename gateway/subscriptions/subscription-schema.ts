import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { AuthorizationPolicy } from '../../policies/authorization-policy.ts';
import type { OperationsPolicy } from '../../policies/operations-policy.ts';
import { readCostDirectives } from '../limits/cost-directives.ts';
import { createOperationAuthorizer } from '../plugins/authorize.ts';
import { createOperationLimitsCheck } from '../plugins/operation-limits.ts';
import { readSecurityRequirements } from '../security/supergraph-security.ts';
import { createSubscriptionPreparer } from './prepare-subscription.ts';
import { createRestExecutor, type UpstreamHeaders } from './rest-executor.ts';
import { createSubscriptionPlanner } from './subscription-planner.ts';
import type { ResumeConvention } from './upstream-operation.ts';

export type SubscriptionSchemaOptions = {
  supergraphSdl: string;
  authorization: AuthorizationPolicy | undefined;
  subgraphUrls: Record<string, string>;
  fetcherFor(subgraph: string): RemoteGraphQLDataSource['fetcher'];
  upstreamHeaders: UpstreamHeaders;
  resume: ResumeConvention;
  /** Operations policy in force (a getter: hot reload). Default: no operation limits. */
  operations?: () => OperationsPolicy;
};

/** Everything that depends on the supergraph and the policies: replaced whole by a reload. */
export type SubscriptionSchema = ReturnType<typeof createSubscriptionSchema>;

/**
 * Planner, subscription pipeline (authorizer included) and Rest executor of one supergraph and
 * authorization policy. Throws when the supergraph cannot be built or names a `@policy` rule the
 * policy lacks (a reload then keeps what runs).
 */
export function createSubscriptionSchema(options: SubscriptionSchemaOptions) {
  const planner = createSubscriptionPlanner({ supergraphSdl: options.supergraphSdl });
  const urls = { ...planner.routingUrls, ...options.subgraphUrls };
  const prepare = createSubscriptionPreparer({
    planner,
    authorize: createOperationAuthorizer({
      requirements: readSecurityRequirements(options.supergraphSdl),
      ...(options.authorization ? { policy: options.authorization } : {}),
    }),
    resume: options.resume,
    ...(options.operations
      ? {
          limits: createOperationLimitsCheck({
            policy: options.operations,
            costDirectives: readCostDirectives(options.supergraphSdl),
          }),
        }
      : {}),
  });
  const restExecutor = createRestExecutor({
    planner,
    urls,
    fetcherFor: options.fetcherFor,
    upstreamHeaders: options.upstreamHeaders,
  });
  return { planner, urls, prepare, restExecutor };
}
