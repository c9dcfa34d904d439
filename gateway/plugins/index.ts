import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { Registry } from 'prom-client';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { GatewayContext } from '../principal.ts';
import { authorizeStep, type AuthorizeOptions, type OperationAuthorizer } from './authorize.ts';
import { canonicalInputStep } from './canonical-input.ts';
import { freshnessPlugin } from './freshness.ts';
import { metricsPlugin } from './metrics.ts';
import { operationLimitsStep, type OperationLimitsOptions } from './operation-limits.ts';
import { requestLog, type RequestLog } from './request-log.ts';
import { requestPipelinePlugin } from './request-pipeline.ts';
import { requestTracingPlugin, type RequestTracingOptions } from './request-tracing.ts';
import { schemaSuggestionsPlugin, type SchemaSuggestionsOptions } from './schema-suggestions.ts';
import { throttleStep, type ThrottleOptions } from './throttle.ts';
import { trustedDocumentsStep, type TrustedDocumentsOptions } from './trusted-documents.ts';

export type PipelineOptions = {
  /** Trusted documents and APQ rules (trusted-documents.ts). Default: empty manifest, no rules. */
  trustedDocuments?: TrustedDocumentsOptions;
  /**
   * Depth, alias, ..., cost limits per caller (operation-limits.ts). Default: generous limits;
   * false: no limits step (benchmarks only).
   */
  limits?: OperationLimitsOptions | false;
  /** Access control read from the supergraph (authorize.ts). */
  authorize: AuthorizeOptions | { current: () => OperationAuthorizer };
  /** Per-channel / client / partner rate limits (throttle.ts). Default: none (no throttling). */
  throttle?: ThrottleOptions;
};

/**
 * The request pipeline's steps, in order, one file each in this folder. Authenticate
 * (authenticate.ts) runs before them, when the request's context is built: a refused token
 * never reaches a step. Then, for queries, mutations and subscriptions alike:
 * trusted documents (before parsing) → operation limits (tokens before parsing; depth, aliases,
 * root fields, directives, cost after) → authorize (@authenticated / @requiresScopes / @policy,
 * introspection) → canonical input (DateTime, Decimal, ... values) → throttle (charges the
 * admitted operation's cost). A step added here applies
 * to every transport: HTTP through requestPipelinePlugin, graphql-ws and SSE through the
 * subscription preparer.
 */
export function pipelineSteps(options: PipelineOptions): PipelineStep[] {
  return [
    trustedDocumentsStep(options.trustedDocuments),
    ...(options.limits === false ? [] : [operationLimitsStep(options.limits)]),
    authorizeStep(options.authorize),
    canonicalInputStep(),
    ...(options.throttle ? [throttleStep(options.throttle)] : []),
  ];
}

/**
 * Apollo Server's plugins: no reporting to Apollo, metrics, the request's span and its logger
 * (in that order: the logger carries the span's ids), the pipeline's steps on its request
 * lifecycle, and no "Did you mean ...?" for callers who may not introspect.
 */
export function gatewayPlugins(options: {
  registry: Registry;
  steps: () => readonly PipelineStep[];
  suggestions: SchemaSuggestionsOptions;
  /** Request spans (request-tracing.ts). Default: the registered provider's tracer. */
  tracing?: RequestTracingOptions;
  /**
   * Request-scoped logging (request-log.ts); the server passes the one whose `logFor` its error
   * masking reads. Default: one over the process's logger.
   */
  requestLog?: RequestLog;
}): ApolloServerPlugin<GatewayContext>[] {
  return [
    // Apollo's usage and schema reporting to GraphOS: off, whatever APOLLO_KEY says (this
    // product reports to its own /metrics and logs, never to a third party).
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    metricsPlugin({ registry: options.registry }),
    requestTracingPlugin(options.tracing),
    (options.requestLog ?? requestLog()).plugin,
    requestPipelinePlugin(options),
    freshnessPlugin(),
    schemaSuggestionsPlugin(options.suggestions),
  ];
}
