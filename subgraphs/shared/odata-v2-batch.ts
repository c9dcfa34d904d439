import { randomUUID } from 'node:crypto';
import { BackendError, type BackendClient, type BackendResponse } from './backend-client.ts';
import {
  buildQueryString,
  errorFrom,
  queryCollection,
  readCollectionPages,
  type ODataRow,
  type ODataV2QueryOptions,
} from './odata-v2.ts';
import { parseBatchResponse, formatBatchRequest } from './odata-v2-multipart.ts';
import { csrfRefused, csrfSessionOf, type CsrfSession } from './csrf-writer.ts';

/** Reads OData v2 collections with `queryCollection`'s contract. */
export type ODataCollectionReader = {
  queryCollection(servicePath: string, options?: ODataV2QueryOptions): Promise<ODataRow[]>;
};

export type ODataBatchReaderOptions = {
  /** How long reads to one service root wait for company before they go out. Default 2 ms. */
  windowMs?: number;
  /** Most reads in one `$batch` (the emulator accepts 100). Default 50. */
  maxPerBatch?: number;
  /** Back-end name in `BackendError`s. Default the client's (`stats().name`) or `erp`. */
  backend?: string;
};

/** An adapter's batching setting: its reader's options, or `false` for plain GETs only. */
export type ODataBatchSetting = false | ODataBatchReaderOptions;

/** The reader an adapter's setting asks for: batching by default, plain with `false`. */
export function odataReader(
  client: BackendClient,
  setting: ODataBatchSetting = {},
): ODataCollectionReader {
  return setting === false ? plainODataReader(client) : createODataBatchReader(client, setting);
}

/** Every read a plain `queryCollection` of its own (no batching). */
export function plainODataReader(client: BackendClient): ODataCollectionReader {
  return {
    queryCollection: (servicePath, options) => queryCollection(client, servicePath, options),
  };
}

type PendingRead = {
  servicePath: string;
  options: ODataV2QueryOptions;
  resolve(rows: ODataRow[] | Promise<ODataRow[]>): void;
  reject(error: unknown): void;
};

type ServiceState = {
  pending: PendingRead[];
  timer?: ReturnType<typeof setTimeout>;
  session?: CsrfSession;
  /** The service answered `$batch` with 404/405/501: plain GETs only from then on. */
  noBatch?: boolean;
};

/**
 * A collection reader that sends reads to the same OData v2 service root issued within
 * `windowMs` of each other as one `$batch` (one HTTP call), and a lone read as a plain GET.
 * Every call goes through `client` (retries, timeouts, circuit breaker, keep-alive); a read-only
 * `$batch` is retried like a GET.
 *
 * SAP Gateway wants a CSRF token and its session cookie on every `$batch` POST, reads included.
 * The token is never fetched with a call of its own: while a service has none, its reads go out
 * as plain GETs, the first of them carrying `x-csrf-token: fetch`; later groups are batched.
 * An expired token (403 `x-csrf-token: Required`) sends that group as plain GETs again (fetching
 * a new token); a service that does not know `$batch` (404, 405, 501) is read plainly from then on.
 *
 * Each read resolves as `queryCollection` would: its rows, `__next` pages followed with plain
 * GETs, `ODataError` for an OData error answer (4xx), `BackendError` for transport failures, 5xx
 * and envelopes (or `$batch` parts) that cannot be read. A bad part fails only its own read; a
 * part answering 5xx is read again alone, so the client's retries apply to it.
 */
export function createODataBatchReader(
  client: BackendClient,
  options: ODataBatchReaderOptions = {},
): ODataCollectionReader {
  const windowMs = options.windowMs ?? 2;
  const maxPerBatch = Math.max(1, options.maxPerBatch ?? 50);
  const backend = options.backend ?? client.stats?.().name ?? 'erp';
  const services = new Map<string, ServiceState>();

  function stateOf(root: string): ServiceState {
    let state = services.get(root);
    if (!state) {
      state = { pending: [] };
      services.set(root, state);
    }
    return state;
  }

  function flush(root: string, state: ServiceState): void {
    state.timer = undefined;
    const reads = state.pending;
    state.pending = [];
    for (let i = 0; i < reads.length; i += maxPerBatch) {
      void sendGroup(root, state, reads.slice(i, i + maxPerBatch));
    }
  }

  async function sendGroup(root: string, state: ServiceState, reads: PendingRead[]) {
    if (reads.length === 1 || state.noBatch || !state.session) {
      sendPlain(state, reads);
      return;
    }
    const session = state.session;
    const boundary = `batch_${randomUUID()}`;
    let res: BackendResponse;
    try {
      res = await client.request({
        method: 'POST',
        path: `${root}/$batch`,
        headers: {
          accept: 'multipart/mixed',
          'content-type': `multipart/mixed; boundary=${boundary}`,
          'x-csrf-token': session.token,
          ...(session.cookie ? { cookie: session.cookie } : {}),
        },
        body: formatBatchRequest(
          boundary,
          reads.map((r) => ({ resource: resourceOf(r.servicePath, r.options) })),
        ),
        idempotent: true,
      });
    } catch (error) {
      for (const read of reads) read.reject(error);
      return;
    }
    if (csrfRefused(res)) {
      if (state.session === session) state.session = undefined;
      sendPlain(state, reads);
      return;
    }
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      state.noBatch = true;
      sendPlain(state, reads);
      return;
    }
    if (res.status !== 202 && res.status !== 200) {
      for (const read of reads) read.reject(errorFrom(res.status, res.body));
      return;
    }
    const contentType = header(res, 'content-type');
    const answers =
      typeof res.body === 'string' ? parseBatchResponse(contentType, res.body) : undefined;
    reads.forEach((read, i) => {
      const answer = answers?.[i];
      if (!answer || !answer.ok) {
        const why = !answers
          ? 'unreadable $batch answer'
          : !answer
            ? `$batch answer has ${answers.length} parts for ${reads.length} requests`
            : `unreadable $batch part: ${answer.reason}`;
        read.reject(new BackendError(backend, `${why} from ${read.servicePath}`, res.status));
        return;
      }
      if (answer.status >= 500) {
        // Read alone again, with the client's retries, as a plain GET answering 5xx would be.
        sendPlain(state, [read]);
        return;
      }
      const response = { status: answer.status, headers: answer.headers, body: answer.body };
      read.resolve(readPages(read, response));
    });
  }

  /** Plain GETs; the first carries `x-csrf-token: fetch` while the service has no session. */
  function sendPlain(state: ServiceState, reads: PendingRead[]): void {
    reads.forEach((read, i) => {
      const fetchToken = i === 0 && !state.session && !state.noBatch;
      const first = client
        .request({
          path: `${read.servicePath}?${buildQueryString(read.options)}`,
          ...(fetchToken ? { headers: { 'x-csrf-token': 'fetch' } } : {}),
        })
        .then((res) => {
          if (fetchToken) state.session = csrfSessionOf(res) ?? state.session;
          return res;
        });
      read.resolve(first.then((res) => readPages(read, res)));
    });
  }

  const readPages = (read: PendingRead, first: BackendResponse): Promise<ODataRow[]> =>
    readCollectionPages(client, read.servicePath, read.options, first, backend);

  return {
    queryCollection(servicePath, queryOptions = {}) {
      const root = servicePath.slice(0, servicePath.lastIndexOf('/'));
      const state = stateOf(root);
      return new Promise<ODataRow[]>((resolve, reject) => {
        state.pending.push({ servicePath, options: queryOptions, resolve, reject });
        state.timer ??= setTimeout(() => flush(root, state), windowMs);
      });
    },
  };
}

function header(res: BackendResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `A_Product?$format=json&...`: the read relative to its service root. */
function resourceOf(servicePath: string, options: ODataV2QueryOptions): string {
  return `${servicePath.slice(servicePath.lastIndexOf('/') + 1)}?${buildQueryString(options)}`;
}
