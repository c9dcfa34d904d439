import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_PATH } from './graphql-client.ts';
import type { FeedError, FeedTransport } from './live-feed.ts';
import { requestOf, type Operation } from './operation.ts';

/** Errors that retrying cannot fix: the token or the document is refused. */
const FATAL_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
]);

function feedError(error: unknown): FeedError {
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
    const code = first?.extensions?.code ?? '';
    return {
      message: `${code ? `${code}: ` : ''}${first?.message ?? 'refused'}`,
      fatal: FATAL_CODES.has(code),
      ...(code === 'CURSOR_EXPIRED' ? { expired: true } : {}),
    };
  }
  if (error && typeof error === 'object' && 'code' in error) {
    const { code, reason } = error as { code: number; reason?: string };
    // 4401: no token, refused, or expired; 4403: forbidden; 44xx: the protocol itself.
    return {
      message: `connection closed (${code}${reason ? `: ${reason}` : ''})`,
      fatal: code === 4401 || code === 4403 || code === 4400,
    };
  }
  return { message: 'the connection to the gateway failed', fatal: false };
}

export type WsConnection = {
  /** A live-feed transport for `operation` (its data's only root field is the event). */
  transport<E>(operation: Operation, variables: Record<string, unknown>): FeedTransport<E>;
  close(): void;
};

/**
 * graphql-ws to the gateway's /graphql, the token in `connection_init` as the gateway expects
 * (`{ authorization: 'Bearer ...' }`). Reconnecting is the live feed's job (it resumes with
 * `after`), so this client never retries by itself.
 */
export function connectWs(token: string): WsConnection {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`;
  const client: Client = createClient({
    url,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
  let open = false;
  client.on('connected', () => (open = true));
  client.on('closed', () => (open = false));
  return {
    transport<E>(operation: Operation, variables: Record<string, unknown>): FeedTransport<E> {
      return (resume, sink) => {
        const offConnected = client.on('connected', () => sink.connected());
        // Subscribing on a connection that is already open: no `connected` will follow.
        if (open) queueMicrotask(() => sink.connected());
        const unsubscribe = client.subscribe<Record<string, E>>(
          requestOf(operation, { ...variables, ...resume }, true) as never,
          {
            next(result) {
              // An event whose other fields failed still carries its data (and errors): shown.
              const event = result.data && Object.values(result.data)[0];
              if (event) sink.next(event);
              else sink.error(feedError(result.errors ?? []));
            },
            error: (error) => sink.error(feedError(error)),
            complete: () => sink.complete(),
          },
        );
        return () => {
          offConnected();
          unsubscribe();
        };
      };
    },
    close: () => void client.dispose(),
  };
}
