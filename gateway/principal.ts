import type { PrincipalData } from '../contracts/protocol/principal-token.ts';
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
};
