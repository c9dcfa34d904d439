import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_PREFIX, handleAdmin } from './admin/admin-routes.ts';
import { CHANNEL_PREFIX, channelRouteKey, handleChannel } from './channels/channel-endpoint.ts';
import { handleV2, V2_PREFIX, v2RouteKey } from './erp/routes-v2.ts';
import { handleV4, V4_PREFIX, v4RouteKey } from './erp/routes-v4.ts';
import { HttpError, type HttpRequest, type HttpResponse } from './http/types.ts';
import { sapCode } from './odata/error-codes.ts';
import { optionNames } from './odata/query-options.ts';
import { v2Error } from './odata/v2-envelope.ts';
import { v4Error } from './odata/v4-envelope.ts';
import {
  createBackendsState,
  resolveOptions,
  type BackendsOptions,
  type BackendsState,
} from './state.ts';

export type { BackendsOptions, BackendsState } from './state.ts';

export type RunningBackends = {
  url: string;
  port: number;
  state: BackendsState;
  close(): Promise<void>;
};

export type BackendsServer = {
  state: BackendsState;
  listen(port: number, host?: string): Promise<RunningBackends>;
};

type Protocol = 'v2' | 'v4' | 'channel' | 'admin' | 'none';

const MAX_BODY = 10 * 1024 * 1024;

/** Builds the emulated ERP + channel back-ends (no side effects); `listen` starts them. */
export function createBackendsServer(options: BackendsOptions = {}): BackendsServer {
  const resolved = resolveOptions(options);
  const state = createBackendsState(resolved);

  async function dispatch(req: HttpRequest, rawUrl: string): Promise<HttpResponse> {
    const protocol = classify(req.path);
    try {
      if (protocol === 'admin') return await handleAdmin(req, state);
      if (protocol === 'none')
        throw new HttpError(404, 'NOT_FOUND', `Nothing is emulated at ${req.path}`);
      const route =
        protocol === 'v2'
          ? v2RouteKey(req.path)
          : protocol === 'v4'
            ? v4RouteKey(req.path)
            : channelRouteKey(req.path);
      state.counters.record(route, optionNames(req.rawQuery));
      const fault = state.faults.take(route);
      const delay = state.latencyMs + (fault?.latencyMs ?? 0);
      if (delay > 0) await sleep(delay);
      if (rawUrl.length > resolved.maxUrlLength) {
        throw new HttpError(
          414,
          'URI_TOO_LONG',
          `Request URI length ${rawUrl.length} exceeds the maximum of ${resolved.maxUrlLength}`,
        );
      }
      if (fault?.status !== undefined) {
        throw new HttpError(
          fault.status,
          'FAULT',
          `Injected fault: HTTP ${fault.status} on ${route}`,
        );
      }
      if (protocol === 'v2') {
        const parts = route.endsWith('/$batch') ? partFaults(route) : undefined;
        return await handleV2(req, state.erp, resolved.pageSize, parts);
      }
      if (protocol === 'v4') return handleV4(req, state.erp, resolved.pageSize);
      return await handleChannel(req, state.channels, resolved.channelSigningSecret);
    } catch (error) {
      return renderError(protocol, error);
    }
  }

  /**
   * Inside a `$batch`, the faults of each part's entity set apply to that part (its own status,
   * its delay), as they would to the same read sent alone; the service's and `*` faults applied
   * once to the whole call already.
   */
  function partFaults(batchRoute: string): (part: HttpRequest) => Promise<void> {
    return async (part) => {
      const route = v2RouteKey(part.path);
      const fault = state.faults.take(route, batchRoute);
      if (!fault) return;
      if (fault.latencyMs) await sleep(fault.latencyMs);
      if (fault.status !== undefined) {
        throw new HttpError(
          fault.status,
          'FAULT',
          `Injected fault: HTTP ${fault.status} on ${route}`,
        );
      }
    };
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(413).end();
      return;
    }
    const request: HttpRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: q < 0 ? rawUrl : rawUrl.slice(0, q),
      rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
      headers: req.headers,
      body,
      origin: `http://${req.headers.host ?? 'localhost'}`,
    };
    const response = await dispatch(request, rawUrl);
    if (response.destroy) {
      req.socket.destroy();
      return;
    }
    send(res, response);
  }

  return {
    state,
    async listen(port, host = '127.0.0.1') {
      const server = createServer((req, res) => {
        onRequest(req, res).catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'INTERNAL', message: String(error) }));
        });
      });
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const actual = (server.address() as AddressInfo).port;
      return {
        url: `http://${host}:${actual}`,
        port: actual,
        state,
        async close() {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}

function classify(path: string): Protocol {
  if (path.startsWith(V2_PREFIX)) return 'v2';
  if (path.startsWith(V4_PREFIX) || path === V4_PREFIX.slice(0, -1)) return 'v4';
  if (path.startsWith(CHANNEL_PREFIX)) return 'channel';
  if (path.startsWith(ADMIN_PREFIX)) return 'admin';
  return 'none';
}

function renderError(protocol: Protocol, error: unknown): HttpResponse {
  const e =
    error instanceof HttpError
      ? error
      : new HttpError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
  const headers = e.options.headers ?? {};
  switch (protocol) {
    case 'v2':
      return {
        status: e.status,
        headers,
        body: v2Error(sapCode(e.code), e.message, {
          ...(e.options.target ? { target: e.options.target } : {}),
        }),
      };
    case 'v4':
      return {
        status: e.status,
        headers,
        body: v4Error(e.status, sapCode(e.code), e.message, e.options.target),
      };
    default:
      return { status: e.status, headers, body: { error: e.code, message: e.message } };
  }
}

function send(res: ServerResponse, response: HttpResponse): void {
  const headers: Record<string, string | string[]> = { ...response.headers };
  let payload: string | Buffer | undefined;
  if (response.body === undefined || response.status === 204) payload = undefined;
  else if (typeof response.body === 'string' || Buffer.isBuffer(response.body))
    payload = response.body;
  else {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
