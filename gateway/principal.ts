import type { StaleSource } from '../contracts/protocol/cache-control.ts';
import type { Context as TraceContext } from '@opentelemetry/api';
import type { PrincipalData } from '../contracts/protocol/principal-token.ts';
import type { Logger } from '../contracts/runtime/telemetry/logger.ts';
import type { ResolvedOperation } from './pipeline/resolved-operation.ts';

/**
 * Who is calling, as established by the authenticate step from a verified token. Every later
 * pipeline step (authorize, throttle, limits) and the signed principal forwarded to the
 * subgraphs read this; nothing else reads the Authorization header. Its shape is the principal
 * token's (contracts/protocol/principal-token.ts): what the gateway knows is what it forwards.
 */
export type Principal = PrincipalData;

/** Per-request gateway context: created per request, never shared (house style). */
export type GatewayContext = {
  /** Undefined for an anonymous request. */
  principal?: Principal;
  /** The connection's remote address (http-handler.ts): anonymous callers are throttled by it. */
  clientAddress?: string;
  /**
   * The operation the request pipeline resolved and every step passed
   * (plugins/request-pipeline.ts); the executor runs this and nothing else.
   */
  resolved?: ResolvedOperation;
  /**
   * The request's id (http-handler.ts): the caller's `x-request-id` when it is a plain token,
   * else a new one; answered in `x-request-id` and forwarded to the subgraphs.
   */
  requestId?: string;
  /**
   * The request's server span, active for the executor and so the parent of every subgraph
   * fetch (plugins/request-tracing.ts). Unset while tracing is off.
   */
  trace?: TraceContext;
  /**
   * The request's logger: `requestId`, and the trace ids while tracing is on
   * (plugins/request-log.ts).
   */
  log?: Logger;
  /**
   * Cached answers the subgraphs served past their fresh window, collected from their responses
   * (forward-principal.ts) for the response's `extensions.freshness` (plugins/freshness.ts).
   */
  stale?: StaleSource[];
};
