import type { GraphQLError, GraphQLSchema } from 'graphql';
import type { Authenticator } from '../plugins/authenticate.ts';
import type { Caller } from '../pipeline/resolved-operation.ts';
import type { EventQueue } from './event-queue.ts';
import type { ClientResult, SubscriptionSession } from './federated-subscription.ts';
import type { PreparedSubscription, SubscriptionRequest } from './prepare-subscription.ts';

/** What both transports (graphql-ws and SSE) get from the subscription server. */
export type TransportOptions = {
  path: string;
  /** The current API schema (replaced by a reload). */
  schema: () => GraphQLSchema;
  /** Undefined: connections are anonymous (tests of unrelated features). */
  authenticate: Authenticator | undefined;
  /** The subscription side of the request pipeline (prepare-subscription.ts). */
  prepare(
    request: SubscriptionRequest,
    caller: Caller,
  ): Promise<PreparedSubscription | GraphQLError[]>;
  start(prepared: PreparedSubscription, session: SubscriptionSession): EventQueue<ClientResult>;
};
