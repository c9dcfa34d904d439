import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../principal.ts';
import type { SubscriptionSession } from './federated-subscription.ts';
import type { PreparedSubscription } from './prepare-subscription.ts';
import { endedErrorsOf } from './subscription-end.ts';
import { runAt, tokenExpiry } from './token-expiry.ts';
import type { TransportOptions } from './transport-options.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

/** What `onSubscribe` hands to `subscribe` (graphql-ws passes it as the context value). */
export type TransportContext = { prepared: PreparedSubscription; session: SubscriptionSession };

export type WsTransportOptions = TransportOptions & {
  /** A WebSocket opened (+1) or closed (-1). */
  onConnection?: (delta: 1 | -1) => void;
  /** Server → client ping interval. Default 12 s. */
  keepAliveMs?: number;
  /** Largest accepted WebSocket message. */
  maxPayloadBytes: number;
};

/** Close code when the authentication keys cannot be fetched: try again later (RFC 6455). */
const TRY_AGAIN_LATER = 1013;

function authorizationOf(
  ctx: Context<Record<string, unknown>, Extra & Record<PropertyKey, unknown>>,
) {
  const params = ctx.connectionParams ?? {};
  const fromParams = params.authorization ?? params.Authorization;
  if (typeof fromParams === 'string') return fromParams;
  return ctx.extra.request.headers.authorization;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's HTTP server, same path as queries.
 * `connection_init` carries `{ authorization: 'Bearer <token>' }` (or the upgrade request's
 * Authorization header): no token or a refused one closes with 4401 and the reason
 * (`authentication required`, `invalid token: <reason>`); keys unavailable closes with 1013.
 * Each `subscribe` goes through the subscription pipeline; a refusal is an `error` message
 * with the code (UNAUTHENTICATED, FORBIDDEN, GRAPHQL_VALIDATION_FAILED...), the connection stays.
 * When the token expires the connection closes with 4401 `token expired`. A subscription the
 * gateway ends (slow consumer, reload) gets an `error` message with the reason, no `complete`.
 */
export function createWsTransport(options: WsTransportOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const principals = new WeakMap<object, Principal | undefined>();
  const server = useServer<Record<string, unknown>, Extra & Record<PropertyKey, unknown>>(
    {
      schema: () => options.schema(),
      async onConnect(ctx) {
        if (!options.authenticate) return true;
        const { socket } = ctx.extra;
        const authorization = authorizationOf(ctx);
        if (!authorization) {
          socket.close(CloseCode.Unauthorized, 'authentication required');
          return false;
        }
        try {
          const context = await options.authenticate(
            new HeaderMap([['authorization', authorization]]),
          );
          principals.set(ctx, context.principal);
          const expiresAt = tokenExpiry(authorization);
          if (expiresAt !== undefined) {
            const cancel = runAt(expiresAt, () =>
              socket.close(CloseCode.Unauthorized, 'token expired'),
            );
            socket.once('close', cancel);
          }
          return true;
        } catch (error) {
          const code = error instanceof GraphQLError ? error.extensions.code : undefined;
          if (code === 'UNAUTHENTICATED') {
            socket.close(CloseCode.Unauthorized, (error as GraphQLError).message);
          } else if (code === 'BACKEND_UNAVAILABLE') {
            socket.close(TRY_AGAIN_LATER, 'authentication keys are unavailable');
          } else {
            processLogger().error({ err: error }, '[gateway] subscription authentication failed');
            socket.close(CloseCode.InternalServerError, 'Internal server error');
          }
          return false;
        }
      },
      async onSubscribe(ctx, _id, payload) {
        const prepared = await options.prepare(payload, {
          principal: principals.get(ctx),
          address: ctx.extra.request.socket.remoteAddress,
          transport: 'graphql-ws',
        });
        if (Array.isArray(prepared)) return prepared;
        const { socket } = ctx.extra;
        const contextValue: TransportContext = {
          prepared,
          session: { bufferedBytes: () => socket.bufferedAmount },
        };
        return {
          schema: prepared.schema,
          document: prepared.document,
          ...(prepared.operationName ? { operationName: prepared.operationName } : {}),
          variableValues: prepared.variables,
          contextValue,
        } satisfies ExecutionArgs;
      },
      subscribe: (args) => {
        const { prepared, session } = args.contextValue as TransportContext;
        return options.start(prepared, session) as never;
      },
      onError: (_ctx, _id, _payload, errors) => endedErrorsOf(errors),
      // Results are already formatted and masked (federated-subscription.ts): send as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );
  return {
    attach(http: Server) {
      http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const { pathname } = new URL(req.url ?? '/', 'http://gateway');
        if (pathname !== options.path) {
          socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          options.onConnection?.(1);
          ws.once('close', () => options.onConnection?.(-1));
          wss.emit('connection', ws, req);
        });
      });
    },
    /** Closes every connection with 1001 and `reason` (subscriptions completed before). */
    async close(reason: string) {
      for (const client of wss.clients) client.close(1001, reason);
      await server.dispose();
    },
    connections: () => wss.clients.size,
  };
}
