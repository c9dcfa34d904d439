import { randomUUID } from 'node:crypto';
import { isSpanContextValid, type Span } from '@opentelemetry/api';
import {
  destination as fileDestination,
  pino,
  stdSerializers,
  stdTimeFunctions,
  type DestinationStream,
  type Logger,
} from 'pino';

/**
 * Structured JSON logs (pino) for the gateway and the subgraphs. Each process entry
 * (gateway/index.ts, subgraphs/shared/run-subgraph.ts) creates one logger at the level of
 * LOG_LEVEL, read by its config reader, and registers it ({@link setProcessLogger}) before
 * anything is assembled, the way startTracing registers the tracer provider; components log
 * through {@link processLogger} unless given a logger. Request-scoped lines go through a child
 * carrying `requestId` and, while tracing is on, `traceId` and `spanId` ({@link requestLogger}).
 */
export type { Logger };

/** LOG_LEVEL's values, for both config readers. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The header that carries a request's id: read from callers, forwarded to subgraphs, answered. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Keys never written: credentials in headers or log objects, at the top level or one level
 * down (`{ headers: { authorization } }`, `{ req: { headers: { authorization } } }`). Lines must
 * not carry tokens or personal data in the first place; this is the net under that rule.
 */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  '["set-cookie"]',
  '["x-gateway-principal"]',
  '["x-signature"]',
  'token',
  'accessToken',
  'refreshToken',
  'password',
  'secret',
];
export const REDACTED_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => {
  const path = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, path('*'), path('headers'), path('*.headers')];
});

export type LoggerOptions = {
  /** `service` of every line: `gateway` or the subgraph's name. */
  service: string;
  /** Lowest level written (LOG_LEVEL). Default `info`. */
  level?: LogLevel;
  /**
   * Where lines go. Default standard output, written synchronously: the lines are few (no line
   * per request above `debug`), arrive in order and promptly, and none is lost when the process
   * dies.
   */
  destination?: DestinationStream;
};

/**
 * pino's error serializer, keeping only what describes the error (message, stack, code and the
 * other plain fields, its cause): a driver's error can carry its whole client (pg's pool errors
 * do, connection parameters included), which must never reach a log line.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  const full = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(full).filter(
      ([key, value]) =>
        value === null ||
        typeof value !== 'object' ||
        ((key === 'cause' || key === 'errors') && typeof value === 'object'),
    ),
  );
}

/**
 * One JSON object per line: `level` as its name, ISO `time`, `service`, `pid`, `msg`, and
 * an `err` object (message, stack, code...) for errors passed as `{ err }`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  return pino(settings, options.destination ?? fileDestination({ dest: 1, sync: true }));
}

/** Only ids that cannot break a log line or a header are taken from a caller. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id (`x-request-id`) when it is a plain token, else a new one. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * The logger of one request: `requestId`, and the trace and span ids of the request's span when
 * there is one (tracing on; a span of a trace that is not sampled has ids too).
 */
export function requestLogger(logger: Logger, requestId: string, span?: Span): Logger {
  const ids = span?.spanContext();
  return ids && isSpanContextValid(ids)
    ? logger.child({ requestId, traceId: ids.traceId, spanId: ids.spanId })
    : logger.child({ requestId });
}

/**
 * Logs at `info` whatever LOG_LEVEL says: the one line a process writes when it listens, which
 * `npm start` (backends/dev-stack.ts) and supervisors wait for.
 */
export function announce(logger: Logger, fields: Record<string, unknown>, message: string): void {
  logger.child({}, { level: 'info' }).info(fields, message);
}

let registered: Logger | undefined;

/** Makes `logger` the process's logger (the process entry, once; tests, to capture lines). */
export function setProcessLogger(logger: Logger): void {
  registered = logger;
}

/**
 * The logger the process entry registered; until one is (a test assembling pieces), an `info`
 * logger to standard output, created once.
 */
export function processLogger(): Logger {
  return (registered ??= createLogger({ service: 'promotions-graph' }));
}
