import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  BrokenCircuitError,
  CircuitState,
  TaskCancelledError,
  type IPolicy,
} from 'cockatiel';
import { trace } from '@opentelemetry/api';
import { Pool, type Dispatcher } from 'undici';
import { startClientSpan } from '../../contracts/runtime/telemetry/http-spans.ts';

/** A back-end call failed after retries, timed out, or the circuit is open. */
export class BackendError extends Error {
  constructor(
    readonly backend: string,
    message: string,
    readonly status: number = 0,
    readonly body: unknown = undefined,
  ) {
    super(`${backend}: ${message}`);
    this.name = 'BackendError';
  }
}

export type BackendRequest = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'MERGE' | 'DELETE';
  /** Path and query, appended to the base URL's path. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Retry on 5xx/timeouts even though the method is not GET (e.g. idempotent POST). */
  idempotent?: boolean;
};

export type BackendResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
};

export type BackendClientOptions = {
  /** Name used in errors and metrics, e.g. "erp". */
  name: string;
  /** Base URL, e.g. http://127.0.0.1:4100/sap/opu/odata/sap. */
  baseUrl: string;
  /** Per-attempt timeout. Default 2000 ms. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests on 5xx, timeouts and connection errors. Default 2. */
  retries?: number;
  /** Consecutive failures that open the circuit. Default 5. */
  breakerThreshold?: number;
  /** How long the circuit stays open before a trial call. Default 5000 ms. */
  breakerHalfOpenAfterMs?: number;
  /** Keep-alive connections to the back-end. Default 16. */
  connections?: number;
};

/** How a call ended: answered (below 500), failed, timed out, or refused by the open circuit. */
export type BackendOutcome = 'ok' | 'error' | 'timeout' | 'circuit_open';

export const BACKEND_OUTCOMES: readonly BackendOutcome[] = [
  'ok',
  'error',
  'timeout',
  'circuit_open',
];

/** What a client has done since it was created, read at scrape time (subgraph-metrics.ts). */
export type BackendStats = {
  /** The name given in the options ("erp"). */
  name: string;
  /** Calls (after retries) by outcome, since the client was created. */
  calls: Readonly<Record<BackendOutcome, number>>;
  /** The circuit breaker's state now. */
  circuit: 'closed' | 'open' | 'half_open' | 'isolated';
};

export type BackendClient = {
  request(req: BackendRequest): Promise<BackendResponse>;
  close(): Promise<void>;
  /** Calls by outcome and circuit state (absent on test doubles). */
  stats?(): BackendStats;
};

const CIRCUIT_NAMES: Record<CircuitState, BackendStats['circuit']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

class RetryableStatus extends Error {
  constructor(readonly response: BackendResponse) {
    super(`HTTP ${response.status}`);
  }
}

/**
 * HTTP client for one back-end: keep-alive pool (undici), per-attempt timeout, exponential
 * backoff with jitter for idempotent calls, and a circuit breaker shared by every call.
 * Responses below 500 are returned as they are; the caller maps 4xx to its own errors. Every
 * attempt is a client span (`peer.service` the back-end's name), child of the active span (the
 * subgraph request's), whose `traceparent` it sends.
 */
export function createBackendClient(options: BackendClientOptions): BackendClient {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  const pool = new Pool(base.origin, { connections: options.connections ?? 16, pipelining: 1 });
  const timeoutMs = options.timeoutMs ?? 2000;
  const tracer = trace.getTracer('backend-client');
  const peer = () => ({ 'peer.service': options.name });

  const breaker = circuitBreaker(
    handleWhen((e) => !(e instanceof BrokenCircuitError)),
    {
      halfOpenAfter: options.breakerHalfOpenAfterMs ?? 5000,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    },
  );
  const retrying = retry(
    handleWhen((e) => e instanceof RetryableStatus || isTransient(e)),
    {
      maxAttempts: options.retries ?? 2,
      backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }),
    },
  );
  const idempotentPolicy: IPolicy = wrap(retrying, breaker);

  async function attempt(req: BackendRequest, signal: AbortSignal): Promise<BackendResponse> {
    const method = req.method ?? 'GET';
    const path = basePath + req.path;
    const client = startClientSpan(tracer, method, () => base.origin + path, peer);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...req.headers,
      ...client.headers,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await pool.request({
        method: method as Dispatcher.HttpMethod,
        path,
        headers,
        body,
        signal,
      });
      text = await res.body.text();
    } catch (error) {
      client.end(undefined, error);
      throw error;
    }
    client.end(res.statusCode);
    let parsed: unknown = text;
    if (text && String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const response = { status: res.statusCode, headers: res.headers, body: parsed };
    if (res.statusCode >= 500) throw new RetryableStatus(response);
    return response;
  }

  const perAttempt = timeout(timeoutMs, TimeoutStrategy.Aggressive);
  const calls: Record<BackendOutcome, number> = { ok: 0, error: 0, timeout: 0, circuit_open: 0 };

  return {
    async request(req) {
      const idempotent = req.idempotent ?? (req.method ?? 'GET') === 'GET';
      const policy: IPolicy = idempotent ? idempotentPolicy : breaker;
      try {
        const response = await policy.execute(() =>
          perAttempt.execute(({ signal }) => attempt(req, signal)),
        );
        calls.ok++;
        return response;
      } catch (error) {
        calls[outcomeOf(error)]++;
        throw toBackendError(options.name, error, timeoutMs);
      }
    },
    close: () => pool.close(),
    stats: () => ({
      name: options.name,
      calls: { ...calls },
      circuit: CIRCUIT_NAMES[breaker.state],
    }),
  };
}

function isTransient(error: unknown): boolean {
  if (error instanceof TaskCancelledError) return true;
  const code = (error as { code?: string }).code ?? '';
  return /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code);
}

function outcomeOf(error: unknown): BackendOutcome {
  if (error instanceof BrokenCircuitError) return 'circuit_open';
  if (error instanceof TaskCancelledError) return 'timeout';
  return 'error';
}

function toBackendError(name: string, error: unknown, timeoutMs: number): BackendError {
  if (error instanceof RetryableStatus) {
    return new BackendError(
      name,
      `HTTP ${error.response.status}`,
      error.response.status,
      error.response.body,
    );
  }
  if (error instanceof BrokenCircuitError) return new BackendError(name, 'circuit open');
  if (error instanceof TaskCancelledError)
    return new BackendError(name, `timed out after ${timeoutMs} ms`);
  const code = (error as { code?: string }).code;
  return new BackendError(
    name,
    code ? `connection failed (${code})` : String((error as Error).message),
  );
}
