import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveSupergraph } from './live-supergraph.ts';
import type { SubscriptionServer } from './subscriptions/subscription-server.ts';
import type { SupergraphArtifacts } from './supergraph-artifacts.ts';
import { processLogger } from '../contracts/runtime/telemetry/logger.ts';

export type RunningGateway = {
  url: string;
  port: number;
  /**
   * Swaps in a new composed supergraph without a restart: queries plan against it from the next
   * request, access control and costs are read from it, and open subscriptions continue on it
   * (or end with the reason when their fields are gone or no longer allowed). Throws, changing
   * nothing, when it cannot be used (e.g. a @policy rule the policy lacks). Takes the SDL, or
   * what buildSupergraphArtifacts already built from it (the supergraph watch does).
   */
  reload(supergraph: string | SupergraphArtifacts): Promise<{ continued: number; ended: number }>;
  close(): Promise<void>;
};

export type ListenGatewayOptions = {
  port: number;
  host: string;
  /** Queries, mutations, health and metrics (gateway/http-handler.ts). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** graphql-ws on `upgrade` and SSE on the GraphQL path (gateway/gateway-subscriptions.ts). */
  subscriptions: SubscriptionServer;
  /** The supergraph in force, swapped by `reload`. */
  live: LiveSupergraph;
  /** Called first by `close` (readiness turns not ready). */
  closing(): void;
  /** Called last by `close`, once HTTP and subscriptions are closed (Apollo, the fetcher). */
  stop(): Promise<void>;
};

/** Listens: one HTTP server for queries, SSE and graphql-ws, and the running gateway's reload. */
export async function listenGateway(options: ListenGatewayOptions): Promise<RunningGateway> {
  const { subscriptions, live, host } = options;
  const server: Server = createServer((req, res) => {
    subscriptions
      .handleSse(req, res)
      .then((served) => (served ? undefined : options.handle(req, res)))
      .catch((error: unknown) => {
        processLogger().error({ err: error }, '[gateway] request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [
              { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            ],
          }),
        );
      });
  });
  subscriptions.attach(server);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/graphql`,
    port: address.port,
    async reload(supergraph) {
      // Everything that can refuse the supergraph runs before anything is swapped.
      const next = live.prepare(supergraph);
      // Open subscriptions are checked again by the same steps, reading the new supergraph.
      return subscriptions.reload({ supergraph: next.artifacts, onSwap: () => live.swap(next) });
    },
    async close() {
      options.closing();
      // Completes open subscriptions, closes WebSockets with 1001, ends SSE streams.
      await subscriptions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await options.stop();
    },
  };
}
