/**
 * Hive Gateway configuration for the benchmark (`hive-gateway supergraph ... -c <this file>`):
 * its defaults, plus forwarding the incoming `authorization` header to every subgraph (Hive's
 * documented `propagateHeaders.fromClientToSubgraphs`), so a unique header per connection
 * reaches the subgraphs and defeats its upstream in-flight deduplication, which is on by default
 * and keyed by URL, body and headers; and `x-gateway-principal`, the signed principal our
 * subgraphs require (scenarios storefront and partner), which the harness sends. No import of
 * @graphql-hive/gateway: this file is also type-checked where the peers are not installed.
 */
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs({ request }: { request: Request }): Record<string, string> {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'x-gateway-principal']) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      return headers;
    },
  },
};
