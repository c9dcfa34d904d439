import type { ApolloServerPlugin } from '@apollo/server';
import type { Registry } from 'prom-client';
import type { GatewayContext } from '../principal.ts';
import { metricsPlugin } from './metrics.ts';

export type PipelineOptions = {
  registry: Registry;
};

/**
 * The request pipeline, in order. Each step is one file in this folder. Authenticate
 * (authenticate.ts) runs first, in the per-request context factory (server.ts), before parsing:
 * a refused token never reaches the plugins below. Later issues add authorize → operation
 * limits → throttle here, before planning.
 */
export function gatewayPlugins(options: PipelineOptions): ApolloServerPlugin<GatewayContext>[] {
  return [metricsPlugin({ registry: options.registry })];
}
