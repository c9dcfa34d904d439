import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { createHandler, type Response as SseResponse } from 'graphql-sse';
import { readBody, sendGraphQLError } from '../../contracts/runtime/apollo-node-http.ts';
import type { Principal } from '../principal.ts';
import { clientError } from './prepare-subscription.ts';
import { runAt, tokenExpiry } from './token-expiry.ts';
import type { TransportOptions } from './transport-options.ts';
import type { TransportContext } from './ws-transport.ts';

export type SseTransportOptions = TransportOptions & {
  maxBodyBytes: number;
  /** An event stream opened (+1) or ended (-1). */
  onStream?: (delta: 1 | -1) => void;
};

const TOKEN_HEADER = 'x-graphql-event-stream-token';
const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

function errorResponse(errors: readonly GraphQLError[]): SseResponse {
  const code = String(errors[0]?.extensions.code ?? '');
  const status = STATUS[code] ?? 400;
  return [
    JSON.stringify({ errors: errors.map((e) => e.toJSON()) }),
    {
      status,
      statusText: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Request',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(status === 401 ? { 'www-authenticate': 'Bearer realm="promotions-graph"' } : {}),
      },
    },
  ];
}

const CODE_OF_STATUS: Record<number, string> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

/**
 * graphql-sse's own refusals (`Stream not found`, a malformed request...) carry no
 * `extensions.code`: every error the gateway answers has one, from the status (BAD_REQUEST for
 * other 4xx). A body that is not GraphQL errors JSON becomes one error with its text.
 */
function withCodes(body: string | null | undefined, status: number): string {
  const code = CODE_OF_STATUS[status] ?? 'BAD_REQUEST';
  let errors: { message?: unknown; extensions?: Record<string, unknown> }[];
  try {
    const parsed = JSON.parse(body ?? '') as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) throw new Error('not GraphQL errors');
    errors = parsed.errors as typeof errors;
  } catch {
    errors = [{ message: body || 'Request refused' }];
  }
  return JSON.stringify({
    errors: errors.map((error) => ({
      ...error,
      extensions: { ...error.extensions, code: error.extensions?.code ?? code },
    })),
  });
}

/** Whether a request on `path` belongs to GraphQL over SSE (either mode of graphql-sse). */
export function isSseRequest(req: IncomingMessage, path: string): boolean {
  const url = new URL(req.url ?? '/', 'http://gateway');
  if (url.pathname !== path) return false;
  const method = (req.method ?? 'GET').toUpperCase();
  return (
    String(req.headers.accept ?? '').includes('text/event-stream') ||
    req.headers[TOKEN_HEADER] !== undefined ||
    url.searchParams.has('token') ||
    method === 'PUT' ||
    method === 'DELETE'
  );
}

/**
 * GraphQL over SSE (graphql-sse) on the gateway's /graphql: distinct connections mode (POST or
 * GET with `Accept: text/event-stream`) and single connection mode (PUT reserves a stream,
 * GET opens it, POSTs add operations, DELETE completes one). Every request authenticates with
 * its Authorization header (none or refused: 401 UNAUTHENTICATED); a reserved stream belongs
 * to the subject that reserved it. Pipeline refusals answer 401/403/400 with typed errors.
 * When the token expires, its subscriptions end with an UNAUTHENTICATED `token expired` event
 * (then complete: a distinct stream ends), and a reserved stream opened with it ends.
 */
export function createSseTransport(options: SseTransportOptions) {
  type Caller = { principal: Principal | undefined; expiresAt: number | undefined };
  const callers = new WeakMap<IncomingMessage, Caller>();
  const responses = new WeakMap<IncomingMessage, ServerResponse>();
  /** Reserved streams (single connection mode) by token: where their operations' events go. */
  const streams = new Map<string, ServerResponse>();
  const streamTokenOf = (req: IncomingMessage): string | undefined => {
    const header = req.headers[TOKEN_HEADER];
    if (typeof header === 'string') return header;
    return new URL(req.url ?? '/', 'http://gateway').searchParams.get('token') ?? undefined;
  };
  const owners = new Map<string, string>();
  const open = new Set<ServerResponse>();
  const handler = createHandler<IncomingMessage, undefined, TransportContext | undefined>({
    schema: () => options.schema(),
    validate: () => [], // validated by the subscription pipeline
    async authenticate(req) {
      const raw = req.raw;
      const url = new URL(raw.url ?? '/', 'http://gateway');
      const token = req.headers.get(TOKEN_HEADER) ?? url.searchParams.get('token') ?? randomUUID();
      if (!options.authenticate) return token;
      const authorization = req.headers.get('authorization');
      if (!authorization) {
        return errorResponse([
          new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } }),
        ]);
      }
      let principal: Principal | undefined;
      try {
        principal = (await options.authenticate(new HeaderMap([['authorization', authorization]])))
          .principal;
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return errorResponse([clientError(error, 'UNAUTHENTICATED')]);
      }
      const subject = principal?.subject ?? '';
      if (req.method === 'PUT') {
        if (owners.size >= 10_000) owners.delete(owners.keys().next().value!);
        owners.set(token, subject);
      } else if (owners.has(token) && owners.get(token) !== subject) {
        return errorResponse([
          new GraphQLError('the event stream belongs to another caller', {
            extensions: { code: 'FORBIDDEN' },
          }),
        ]);
      }
      callers.set(raw, { principal, expiresAt: tokenExpiry(authorization) });
      return token;
    },
    async onSubscribe(req, params) {
      const caller = callers.get(req.raw);
      const prepared = await options.prepare(params, {
        principal: caller?.principal,
        address: req.raw.socket.remoteAddress,
        transport: 'sse',
      });
      if (Array.isArray(prepared)) return errorResponse(prepared);
      const streamToken = streamTokenOf(req.raw);
      const res = (streamToken && streams.get(streamToken)) || responses.get(req.raw);
      const contextValue: TransportContext = {
        prepared,
        session: {
          ...(caller?.expiresAt !== undefined ? { expiresAt: caller.expiresAt } : {}),
          // What the event stream has not sent yet (written without waiting, see `handle`).
          ...(res ? { bufferedBytes: () => res.writableLength } : {}),
        },
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
      const { prepared, session } = args.contextValue!;
      return options.start(prepared, session) as never;
    },
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let tooLarge = false;
    responses.set(req, res);
    const [body, init] = await handler({
      method: (req.method ?? 'GET').toUpperCase(),
      url: req.url ?? '/',
      headers: {
        get(key) {
          const value = req.headers[key.toLowerCase()];
          const text = Array.isArray(value) ? value.join(', ') : value;
          // graphql-sse compares Accept exactly; browsers and proxies may add alternatives.
          if (key.toLowerCase() === 'accept' && text?.includes('text/event-stream')) {
            return 'text/event-stream';
          }
          return text;
        },
      },
      body: async () => {
        const raw = await readBody(req, options.maxBodyBytes);
        if (raw === undefined) tooLarge = true;
        return raw?.toString('utf8') ?? null;
      },
      raw: req,
      context: undefined,
    });
    if (tooLarge) {
      return sendGraphQLError(
        res,
        413,
        `Request body exceeds ${options.maxBodyBytes} bytes`,
        'BAD_REQUEST',
      );
    }
    if (!body || typeof body === 'string') {
      const typed = init.status >= 400 ? withCodes(body, init.status) : undefined;
      const headers = typed
        ? { ...init.headers, 'content-type': 'application/json; charset=utf-8' }
        : init.headers;
      res.writeHead(init.status, init.statusText, headers);
      res.end(typed ?? body);
      return;
    }
    res.writeHead(init.status, init.statusText, init.headers);
    open.add(res);
    options.onStream?.(1);
    const token = streamTokenOf(req);
    if (token !== undefined) streams.set(token, res);
    const stop = () => void body.return(undefined);
    res.once('close', stop);
    // A reserved stream (single connection mode) ends when the token that opened it expires.
    const expiresAt = token !== undefined ? callers.get(req)?.expiresAt : undefined;
    const cancelExpiry = expiresAt !== undefined ? runAt(expiresAt, () => res.end()) : () => {};
    try {
      // Written without waiting for the client: graphql-sse would otherwise queue the events
      // itself, unbounded. What a slow client has not read stays in `res.writableLength`, which
      // each subscription checks (session.bufferedBytes) and ends as a slow consumer.
      for await (const chunk of body) {
        if (!res.writable) break;
        res.write(chunk);
      }
    } finally {
      if (token !== undefined && streams.get(token) === res) streams.delete(token);
      res.off('close', stop);
      cancelExpiry();
      open.delete(res);
      options.onStream?.(-1);
      if (token !== undefined) owners.delete(token);
      res.end();
    }
  }

  return {
    handle,
    /** Ends every open event stream (their subscriptions were completed before). */
    close() {
      for (const res of open) res.end();
    },
    streams: () => open.size,
  };
}
