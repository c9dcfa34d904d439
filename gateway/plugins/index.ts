import type { ApolloServerPlugin } from '@apollo/server';
import type { Registry } from 'prom-client';
import type { GatewayContext } from '../principal.ts';
import { authorizePlugin, type AuthorizeOptions } from './authorize.ts';
import { metricsPlugin } from './metrics.ts';

export type PipelineOptions = {
  registry: Registry;
  /** Access control read from the supergraph (authorize.ts). */
  authorize: AuthorizeOptions;
};

/**
 * The request pipeline, in order. Each step is one file in this folder. Authenticate
 * (authenticate.ts) runs first, in the per-request context factory (server.ts), before parsing:
 * a refused token never reaches the plugins below. Authorize (authorize.ts) then checks the
 * validated operation against the supergraph's @authenticated / @requiresScopes / @policy in
 * didResolveOperation, before planning. Later issues add operation limits → throttle here.
 */
export function gatewayPlugins(options: PipelineOptions): ApolloServerPlugin<GatewayContext>[] {
  return [metricsPlugin({ registry: options.registry }), authorizePlugin(options.authorize)];
}
