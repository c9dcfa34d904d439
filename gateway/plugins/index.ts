import type { ApolloServerPlugin } from '@apollo/server';
import type { Registry } from 'prom-client';
import type { GatewayContext } from '../principal.ts';
import { authorizePlugin, type AuthorizeOptions, type OperationAuthorizer } from './authorize.ts';
import { metricsPlugin } from './metrics.ts';
import { operationLimitsPlugin, type OperationLimitsOptions } from './operation-limits.ts';
import { throttlePlugin, type ThrottleOptions } from './throttle.ts';
import { trustedDocumentsPlugin, type TrustedDocumentsOptions } from './trusted-documents.ts';

export type PipelineOptions = {
  registry: Registry;
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
 * The request pipeline, in order. Each step is one file in this folder. Authenticate
 * (authenticate.ts) runs first, in the per-request context factory (server.ts), before parsing:
 * a refused token never reaches the plugins below. Authorize (authorize.ts) then checks the
 * validated operation against the supergraph's @authenticated / @requiresScopes / @policy in
 * didResolveOperation, before planning. Throttle (throttle.ts) then charges the operation to its
 * rate-limit buckets in responseForOperation, i.e. only once every didResolveOperation check has
 * passed, still before planning (429 RATE_LIMITED over a limit). Trusted documents
 * (trusted-documents.ts) and operation limits (operation-limits.ts) come before authorize.
 */
export function gatewayPlugins(options: PipelineOptions): ApolloServerPlugin<GatewayContext>[] {
  return [
    metricsPlugin({ registry: options.registry }),
    // Trusted documents, then limits: both refuse in requestDidStart before parsing (in this
    // order: the limits see the manifest text a document id resolved to), the rest of the limits
    // in didResolveOperation before authorize, throttle and planning.
    trustedDocumentsPlugin(options.trustedDocuments),
    ...(options.limits === false ? [] : [operationLimitsPlugin(options.limits)]),
    authorizePlugin(options.authorize),
    ...(options.throttle ? [throttlePlugin(options.throttle)] : []),
  ];
}
