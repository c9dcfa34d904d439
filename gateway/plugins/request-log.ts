import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import {
  processLogger,
  requestIdFrom,
  requestLogger,
  type Logger,
} from '../../contracts/runtime/telemetry/logger.ts';
import type { GatewayContext } from '../principal.ts';

export type RequestLogOptions = {
  /** The process's logger. Default: the one the process entry registered (processLogger). */
  logger?: Logger;
};

export type RequestLog = {
  /** The Apollo Server plugin: after request-tracing.ts's, which leaves the span it reads. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /**
   * The logger of the request an error arose in, for error-masking.ts's line about it (Apollo's
   * formatError sees no context); the process's logger for an error no request reported.
   */
  logFor(error: unknown): Logger;
};

/**
 * Request-scoped logging: each request's logger (`requestId` from http-handler.ts, and the trace
 * and span ids of its span while tracing is on) on the context as `log`, and a `debug` line
 * when it is answered (operation, type, HTTP status, milliseconds, error codes). Nothing else is
 * logged about a request: no variables, headers or tokens.
 */
export function requestLog(options: RequestLogOptions = {}): RequestLog {
  const logger = options.logger ?? processLogger();
  // Per-request state, keyed by the request's own error objects: collected with them.
  const errorLogs = new WeakMap<object, Logger>();
  return {
    logFor: (error) => (typeof error === 'object' && error && errorLogs.get(error)) || logger,
    plugin: {
      async requestDidStart({ contextValue }) {
        const started = performance.now();
        const span = contextValue.trace && trace.getSpan(contextValue.trace);
        const log = requestLogger(logger, contextValue.requestId ?? requestIdFrom(undefined), span);
        contextValue.log = log;
        return {
          async didEncounterErrors({ errors }) {
            for (const error of errors) errorLogs.set(error, log);
          },
          async willSendResponse({ response, operation, operationName, errors }) {
            if (!log.isLevelEnabled('debug')) return;
            const codes = errors?.map((error) => error.extensions.code ?? 'INTERNAL_SERVER_ERROR');
            log.debug(
              {
                operationName: operationName ?? undefined,
                operationType: operation?.operation,
                status: response.http.status ?? 200,
                ms: Math.round(performance.now() - started),
                ...(codes?.length ? { errorCodes: codes } : {}),
              },
              'graphql request',
            );
          },
        };
      },
    },
  };
}
