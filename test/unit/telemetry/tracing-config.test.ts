import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { tracingConfigFrom } from '../../../contracts/runtime/telemetry/tracing-config.ts';
import { startTracing } from '../../../contracts/runtime/telemetry/tracing.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import { readSubgraphConfig } from '../../../subgraphs/shared/config.ts';

describe('tracing config (OTEL_* variables)', () => {
  test('off by default, service.name the process default', () => {
    assert.deepEqual(tracingConfigFrom({}, 'gateway'), { enabled: false, serviceName: 'gateway' });
    assert.deepEqual(readGatewayConfig({}).tracing, { enabled: false, serviceName: 'gateway' });
    assert.deepEqual(readSubgraphConfig({}, 'pricing').tracing, {
      enabled: false,
      serviceName: 'pricing',
    });
  });

  test('on with OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint and no exporter named', () => {
    for (const env of [
      { OTEL_TRACES_EXPORTER: 'otlp' },
      { OTEL_TRACES_EXPORTER: ' OTLP ' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' },
    ]) {
      assert.deepEqual(tracingConfigFrom(env, 'gateway'), {
        enabled: true,
        serviceName: 'gateway',
      });
    }
    assert.deepEqual(
      readSubgraphConfig(
        { OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'pricing-eu' },
        'pricing',
      ).tracing,
      { enabled: true, serviceName: 'pricing-eu' },
    );
  });

  test('OTEL_TRACES_EXPORTER=none keeps it off, even with an endpoint', () => {
    const env = { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    assert.equal(tracingConfigFrom(env, 'gateway').enabled, false);
  });

  test('OTEL_SDK_DISABLED=true wins over everything; any other value leaves it on', () => {
    const on = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    for (const OTEL_SDK_DISABLED of ['true', 'TRUE', ' True ']) {
      assert.equal(tracingConfigFrom({ ...on, OTEL_SDK_DISABLED }, 'gateway').enabled, false);
    }
    for (const OTEL_SDK_DISABLED of ['false', '', '1']) {
      assert.equal(tracingConfigFrom({ ...on, OTEL_SDK_DISABLED }, 'gateway').enabled, true);
    }
    // A disabled SDK does not even look at the exporter.
    const bad = { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'zipkin' };
    assert.equal(tracingConfigFrom(bad, 'gateway').enabled, false);
  });

  test('an exporter other than otlp or none fails loudly, in both config readers', () => {
    const message = 'OTEL_TRACES_EXPORTER must be otlp or none (OTLP over HTTP), got "otlp,zipkin"';
    const env = { OTEL_TRACES_EXPORTER: 'otlp,zipkin' };
    assert.throws(() => tracingConfigFrom(env, 'gateway'), { message });
    assert.throws(() => readGatewayConfig(env), { message });
    assert.throws(() => readSubgraphConfig(env, 'funding'), { message });
  });

  test('OTEL_TRACES_SAMPLER(_ARG): the specification samplers, a ratio from 0 to 1; anything else fails loudly', () => {
    const on = { OTEL_TRACES_EXPORTER: 'otlp' };
    for (const env of [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
      { OTEL_TRACES_SAMPLER: 'always_off' },
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' },
    ]) {
      assert.equal(tracingConfigFrom({ ...on, ...env }, 'gateway').enabled, true);
    }
    assert.throws(() => readGatewayConfig({ ...on, OTEL_TRACES_SAMPLER: 'ratio' }), {
      message: /^OTEL_TRACES_SAMPLER must be one of always_on, .*got "ratio"$/,
    });
    const ratio = { ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' };
    for (const OTEL_TRACES_SAMPLER_ARG of ['10%', '1.5', '-0.1']) {
      assert.throws(() => readSubgraphConfig({ ...ratio, OTEL_TRACES_SAMPLER_ARG }, 'promotion'), {
        message: `OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got "${OTEL_TRACES_SAMPLER_ARG}"`,
      });
    }
  });

  test('a ratio sampler from the environment: the SDK records that share of new traces', async () => {
    process.env.OTEL_TRACES_SAMPLER = 'traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = '0';
    try {
      const tracing = startTracing(
        { enabled: true, serviceName: 'gateway' },
        { spanProcessors: [] },
      );
      const span = trace.getTracer('test').startSpan('not sampled');
      assert.equal(span.isRecording(), false);
      span.end();
      await tracing.shutdown();
    } finally {
      delete process.env.OTEL_TRACES_SAMPLER;
      delete process.env.OTEL_TRACES_SAMPLER_ARG;
    }
  });

  test('off: startTracing registers nothing, so every span is a no-op', async () => {
    const tracing = startTracing({ enabled: false, serviceName: 'gateway' });
    assert.equal(tracing.enabled, false);
    const span = trace.getTracer('test').startSpan('x');
    assert.equal(span.isRecording(), false);
    span.end();
    await tracing.shutdown();
  });

  test('on: spans go to the OTLP/HTTP endpoint of the OTEL_EXPORTER_OTLP_* variables', async () => {
    const posts: { path: string | undefined; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        posts.push({ path: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    // The exporter reads its variables from the environment itself, when it is created.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    try {
      const config = tracingConfigFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, 'gateway');
      const tracing = startTracing(config);
      assert.equal(tracing.enabled, true);
      const span = trace.getTracer('test').startSpan('exported span');
      assert.equal(span.isRecording(), true);
      span.end();
      await tracing.shutdown(); // flushes the batch
      assert.deepEqual(
        posts.map((post) => post.path),
        ['/v1/traces'],
      );
      const body = posts[0]!.body;
      assert.ok(body.includes('exported span'), body);
      assert.ok(body.includes(span.spanContext().traceId), body);
      assert.ok(body.includes('"stringValue":"gateway"'), 'service.name gateway');
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
