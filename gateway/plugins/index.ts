import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Registry } from 'prom-client';
import { metricsPlugin } from './metrics.ts';

export type PipelineOptions = {
  registry: Registry;
};

/**
 * The request pipeline, in order. Each step is one plugin file in this folder; later issues add
 * authenticate → authorize → operation limits → throttle here, before planning.
 */
export function gatewayPlugins(options: PipelineOptions): ApolloServerPlugin<BaseContext>[] {
  return [metricsPlugin({ registry: options.registry })];
}
