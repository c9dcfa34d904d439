import type { ResolvedOperation } from './pipeline/resolved-operation.ts';

/**
 * Who is calling, as established by the authenticate step from a verified token. Every later
 * pipeline step (authorize, throttle, limits) and the signed principal forwarded to the
 * subgraphs read this; nothing else reads the Authorization header.
 */
export type Principal = {
  /** Token subject (`sub`). */
  subject: string;
  /** Token class from policies/auth.yaml, e.g. `channel-app`, `partner`, `internal`. */
  tokenClass: string;
  /** Granted scopes, e.g. `promotion:read`. */
  scopes: readonly string[];
  /** Sales channel of a channel-app token (ECOMMERCE, MOBILE, ...). */
  channel?: string;
  /** Partner id of a partner token. */
  partnerId?: string;
  /** Vendor a partner token is confined to. */
  vendorId?: string;
  /** Client id (`azp` or `client_id`), for per-client limits. */
  clientId?: string;
};

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
