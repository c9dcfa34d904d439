import {
  RemoteGraphQLDataSource,
  buildOperationContext,
  executeQueryPlan,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
} from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { GatewayContext, Principal } from '../principal.ts';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.ts';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** Headers added to every subgraph request made for a subscription (the signed principal). */
export type UpstreamHeaders = (principal: Principal | undefined) => Record<string, string>;

/** The event's Primary payload: what the owning subgraph sent on the subscription. */
export type PrimaryPayload = {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
};

export type RestExecutorOptions = {
  planner: SubscriptionPlanner;
  /** Subgraph name → URL for the entity fetches. */
  urls: Record<string, string>;
  fetcherFor(subgraph: string): Fetcher;
  upstreamHeaders: UpstreamHeaders;
};

export type RunEvent = (payload: PrimaryPayload) => Promise<ExecutionResult>;

class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    fetcher: Fetcher,
    private readonly headersFor: UpstreamHeaders,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const principal = 'context' in options ? options.context.principal : undefined;
    for (const [name, value] of Object.entries(this.headersFor(principal))) {
      options.request.http?.headers.set(name, value);
    }
  }
}

/**
 * The owning subgraph's data source for one event: the Primary fetch is answered with the
 * event itself (once); any other fetch to that subgraph in the Rest goes over HTTP as usual.
 */
function eventSource(
  payload: PrimaryPayload,
  primaryOperation: string,
  http: GraphQLDataSource<GatewayContext> | undefined,
): GraphQLDataSource<GatewayContext> {
  let served = false;
  return {
    async process(request) {
      if (!served && request.request.query === primaryOperation) {
        served = true;
        return {
          data: payload.data ?? null,
          ...(payload.errors?.length ? { errors: payload.errors as never } : {}),
        };
      }
      if (!http) throw new Error('no data source for the subscription subgraph');
      return http.process(request);
    },
  };
}

/**
 * Runs the Rest of a subscription plan per event with @apollo/gateway's own `executeQueryPlan`
 * (it refuses Subscription nodes, so it gets a plain plan): `Sequence { Fetch(primary, served
 * from the event), Rest }`. The gateway's executor then does exactly what it does for queries:
 * entity representations from the event, `_entities` fetches, merging, result shaping to the
 * client's selection (aliases, the gateway's cursor alias dropped), and errors with paths.
 */
export function createRestExecutor(options: RestExecutorOptions) {
  const remote: ServiceMap = {};
  for (const [name, url] of Object.entries(options.urls)) {
    remote[name] = new SignedDataSource(url, options.fetcherFor(name), options.upstreamHeaders);
  }
  return function prepare(
    plan: SubscriptionPlan,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    principal: Principal | undefined,
  ): RunEvent {
    const { planner } = options;
    const operationContext = buildOperationContext({
      schema: planner.schema,
      operationDocument: document,
      ...(operationName ? { operationName } : {}),
    });
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [{ ...plan.primary, variableUsages: [] }, ...(plan.rest ? [plan.rest] : [])],
      },
    };
    return async (payload) => {
      const requestContext = {
        request: { variables, ...(operationName ? { operationName } : {}) },
        context: { ...(principal ? { principal } : {}) },
        logger: console,
        metrics: {},
        overallCachePolicy: undefined,
        operationName: operationName ?? null,
        document,
      } as unknown as GatewayGraphQLRequestContext<GatewayContext>;
      const owner = plan.primary.serviceName;
      const services: ServiceMap = {
        ...remote,
        [owner]: eventSource(payload, plan.primary.operation, remote[owner]),
      };
      return executeQueryPlan(
        queryPlan,
        services,
        requestContext,
        operationContext,
        planner.supergraphSchema,
        planner.apiSchema,
      );
    };
  };
}
