import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import {
  announce,
  createLogger,
  requestIdFrom,
  requestLogger,
  type LogLevel,
} from '../../../contracts/runtime/telemetry/logger.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import { readSubgraphConfig } from '../../../subgraphs/shared/config.ts';

/** A logger at `level` whose lines are collected, parsed. */
function captured(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ service: 'gateway', level, destination }), lines };
}

/** The fields every line has whatever it says, which differ per run. */
const stable = ({ time, pid, ...rest }: Record<string, unknown>) => {
  assert.match(String(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(pid, process.pid);
  return rest;
};

describe('JSON logs', () => {
  test('LOG_LEVEL=warn: info and debug lines are not written, warn and error are', () => {
    const { logger, lines } = captured(readGatewayConfig({ LOG_LEVEL: 'warn' }).logLevel);
    logger.debug('debug line');
    logger.info('info line');
    logger.warn('warn line');
    logger.error('error line');
    // The start line `npm start` waits for is written whatever the level.
    announce(logger, { url: 'http://127.0.0.1:4000/graphql' }, 'gateway listening on ...');
    assert.deepEqual(lines.map(stable), [
      { level: 'warn', service: 'gateway', msg: 'warn line' },
      { level: 'error', service: 'gateway', msg: 'error line' },
      {
        level: 'info',
        service: 'gateway',
        url: 'http://127.0.0.1:4000/graphql',
        msg: 'gateway listening on ...',
      },
    ]);
  });

  test('LOG_LEVEL defaults to info; the subgraphs read it too and refuse an unknown level', () => {
    const { logger, lines } = captured(readSubgraphConfig({}, 'pricing').logLevel);
    logger.debug('debug line');
    logger.info('info line');
    assert.deepEqual(lines.map(stable), [{ level: 'info', service: 'gateway', msg: 'info line' }]);
    assert.equal(readSubgraphConfig({ LOG_LEVEL: 'error' }, 'pricing').logLevel, 'error');
    assert.throws(() => readSubgraphConfig({ LOG_LEVEL: 'verbose' }, 'pricing'), {
      message: 'LOG_LEVEL must be one of debug, info, warn, error, got "verbose"',
    });
  });

  test('Authorization headers and tokens are redacted wherever they sit', () => {
    const { logger, lines } = captured('info');
    const token = 'eyJhbGciOiJSUzI1NiJ9.secret-claims.signature';
    logger.info(
      {
        headers: { authorization: `Bearer ${token}`, 'x-gateway-principal': token, accept: '*/*' },
        req: { headers: { Authorization: `Bearer ${token}`, cookie: `session=${token}` } },
        token,
        auth: { accessToken: token },
      },
      'request',
    );
    assert.equal(JSON.stringify(lines).includes(token), false, JSON.stringify(lines));
    assert.deepEqual(stable(lines[0]!), {
      level: 'info',
      service: 'gateway',
      headers: { authorization: '[redacted]', 'x-gateway-principal': '[redacted]', accept: '*/*' },
      req: { headers: { Authorization: '[redacted]', cookie: '[redacted]' } },
      token: '[redacted]',
      auth: { accessToken: '[redacted]' },
      msg: 'request',
    });
  });

  test("an error is its message, stack and plain fields: a driver's client object never", () => {
    const { logger, lines } = captured('info');
    const error = Object.assign(new Error('terminating connection'), {
      code: '57P01',
      severity: 'FATAL',
      client: { connectionParameters: { user: 'app', password: 'hunter2', host: 'db' } },
      cause: new Error('socket closed'),
    });
    logger.error({ err: error }, 'idle PostgreSQL client error');
    const err = lines[0]!.err as Record<string, unknown>;
    assert.equal(JSON.stringify(lines).includes('hunter2'), false, JSON.stringify(lines));
    assert.equal(err.client, undefined);
    // pino writes the cause into the message (and the stack).
    assert.equal(err.message, 'terminating connection: socket closed');
    assert.equal(err.code, '57P01');
    assert.equal(err.severity, 'FATAL');
    assert.match(String(err.stack), /^Error: terminating connection/);
  });

  test("request-scoped lines carry the request id, and the span's trace ids when there is one", () => {
    const { logger, lines } = captured('info');
    const span = {
      spanContext: () => ({
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: 1,
      }),
    } as Parameters<typeof requestLogger>[2];
    requestLogger(logger, 'req-1', span).warn('with trace');
    requestLogger(logger, 'req-2').warn('without');
    assert.deepEqual(lines.map(stable), [
      {
        level: 'warn',
        service: 'gateway',
        requestId: 'req-1',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        msg: 'with trace',
      },
      { level: 'warn', service: 'gateway', requestId: 'req-2', msg: 'without' },
    ]);
  });

  test("a caller's request id is kept only when it is a plain token", () => {
    assert.equal(requestIdFrom('abc-123_x.y:z'), 'abc-123_x.y:z');
    assert.equal(requestIdFrom(['first', 'second']), 'first');
    for (const bad of [undefined, '', 'two words', 'line\nbreak', '"quoted"', 'x'.repeat(129)]) {
      assert.match(
        requestIdFrom(bad),
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
  });
});
