import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createLogger, setProcessLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { startTracing, type Tracing } from '../../../contracts/runtime/telemetry/tracing.ts';
import { createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { createDraft, take, wsClient } from '../subscriptions/subscription-kit.ts';

/**
 * Tracing end to end, the whole federation in one process under one tracer provider (as
 * gateway/index.ts and run-subgraph.ts register it, with an in-memory exporter instead of OTLP):
 * one GraphQL query through the gateway to the pricing subgraph and on to the emulated ERP is one
 * trace, each span the child of the one that caused it.
 */

const exporter = new InMemorySpanExporter();
/** Resolves `until` once a span ends that makes `done` true of the spans ended so far. */
const waiters: { done: (spans: ReadableSpan[]) => boolean; resolve: () => void }[] = [];
const notifier: SpanProcessor = {
  onStart() {},
  onEnd() {
    const spans = exporter.getFinishedSpans();
    for (const waiter of waiters.splice(0)) {
      if (waiter.done(spans)) waiter.resolve();
      else waiters.push(waiter);
    }
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};
function until(done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  if (done(exporter.getFinishedSpans())) return Promise.resolve(exporter.getFinishedSpans());
  return new Promise((resolve) =>
    waiters.push({ done, resolve: () => resolve(exporter.getFinishedSpans()) }),
  );
}

// The caller's own trace: every span of the request belongs to it.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

// The process's log, at debug: the gateway writes one line per request.
const logLines: Record<string, unknown>[] = [];
const logDestination = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

let tracing: Tracing;
let stack: TestStack;
before(async () => {
  setProcessLogger(createLogger({ service: 'test', level: 'debug', destination: logDestination }));
  tracing = startTracing(
    { enabled: true, serviceName: 'telemetry-test' },
    { spanProcessors: [new SimpleSpanProcessor(exporter), notifier] },
  );
  stack = await startTestStack({ skus: 20, locations: 5, vendors: 3 });
});
after(async () => {
  await stack?.close();
  await tracing?.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const ofTrace = (spans: ReadableSpan[]) =>
  spans.filter((span) => span.spanContext().traceId === TRACE_ID);

describe('tracing through gateway, subgraph and ERP', () => {
  test('one trace: gateway server → subgraph fetch → pricing server → ERP call', async () => {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.internalToken}`,
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
        'x-request-id': 'telemetry-probe-1',
      },
      body: JSON.stringify({
        query:
          'query PriceProbe { price(sku: "SKU000001", storeId: "S001", channel: ECOMMERCE) { kind } }',
      }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(res.headers.get('x-request-id'), 'telemetry-probe-1');

    // Every span of the request has ended: the gateway's last (it answers after the rest).
    const spans = ofTrace(
      await until((ended) =>
        ofTrace(ended).some((s) => s.kind === SpanKind.SERVER && s.name === 'query PriceProbe'),
      ),
    );
    const gateway = spans.filter((s) => s.instrumentationScope.name === 'gateway');
    const server = gateway.find((s) => s.kind === SpanKind.SERVER);
    assert.ok(server, 'a gateway server span');
    assert.equal(server.name, 'query PriceProbe');
    assert.deepEqual(server.attributes, {
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'PriceProbe',
      'http.response.status_code': 200,
    });
    assert.equal(parentOf(server), CALLER_SPAN_ID, "the gateway continues the caller's trace");

    const fetches = gateway.filter((s) => s.kind === SpanKind.CLIENT);
    assert.equal(fetches.length, 1, 'one subgraph fetch');
    const [fetchSpan] = fetches;
    assert.equal(parentOf(fetchSpan!), server.spanContext().spanId);
    assert.equal(fetchSpan!.attributes['url.full'], stack.subgraphs.pricing.url);
    assert.equal(fetchSpan!.attributes['http.response.status_code'], 200);

    const pricing = spans.filter((s) => s.instrumentationScope.name === 'pricing');
    assert.equal(pricing.length, 1, 'one pricing server span');
    const [pricingServer] = pricing;
    assert.equal(pricingServer!.kind, SpanKind.SERVER);
    assert.equal(
      parentOf(pricingServer!),
      fetchSpan!.spanContext().spanId,
      "the subgraph continues the gateway's traceparent",
    );
    assert.equal(pricingServer!.attributes['graphql.operation.type'], 'query');
    assert.equal(pricingServer!.attributes['http.response.status_code'], 200);

    const erpCalls = spans.filter((s) => s.instrumentationScope.name === 'backend-client');
    assert.ok(erpCalls.length >= 1, 'at least one ERP call');
    for (const call of erpCalls) {
      assert.equal(call.kind, SpanKind.CLIENT);
      assert.equal(parentOf(call), pricingServer!.spanContext().spanId);
      assert.equal(call.attributes['peer.service'], 'erp');
      assert.equal(call.attributes['http.request.method'], 'GET');
      assert.equal(call.attributes['http.response.status_code'], 200);
      assert.match(
        String(call.attributes['url.full']),
        /^http:\/\/127\.0\.0\.1:\d+\/sap\/opu\/odata\//,
      );
    }
    // Nothing else in the trace: each span above is accounted for.
    assert.equal(spans.length, 3 + erpCalls.length, spans.map((s) => s.name).join(', '));

    // The gateway's line about the request carries its request id and its span's ids.
    const line = logLines.find((l) => l.msg === 'graphql request');
    assert.ok(line, 'a debug line per request');
    const { time: _time, pid: _pid, ms, ...rest } = line;
    assert.equal(typeof ms, 'number');
    assert.deepEqual(rest, {
      level: 'debug',
      service: 'test',
      requestId: 'telemetry-probe-1',
      traceId: TRACE_ID,
      spanId: server.spanContext().spanId,
      operationName: 'PriceProbe',
      operationType: 'query',
      status: 200,
      msg: 'graphql request',
    });
  });

  /** This stack has few locations: the drafts run at S001 only. */
  const ONE_STORE = { eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001'] } };

  test(
    'a subscription event is one span, parent of the subgraph fetches its Rest makes',
    { timeout: 30_000 },
    async () => {
      const before = await createDraft(stack, 'Traced before', ONE_STORE);
      const client = wsClient(stack.gatewayUrl, stack.internalToken);
      try {
        const events = client.iterate<Record<string, unknown>>({
          query: `subscription Watch($after: String) { promotionStateChanged(after: $after) {
          cursor promotion { id stockReadiness { check { area } } } } }`,
          variables: { after: before.eventCursor },
        });
        await createDraft(stack, 'Traced event', ONE_STORE);
        await take(events, 1);
        await events.return!();
      } finally {
        await client.dispose();
      }
      const spans = await until((all) =>
        all.some((span) => span.name === 'subscription Watch event'),
      );
      const event = spans.find((span) => span.name === 'subscription Watch event')!;
      assert.equal(event.kind, SpanKind.CONSUMER);
      assert.equal(event.attributes['graphql.operation.name'], 'Watch');
      // The Rest: the inventory subgraph's stockReadiness, fetched under the event's span (through
      // @apollo/gateway's own internal spans).
      const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
      const under = (span: ReadableSpan, ancestor: ReadableSpan): boolean => {
        for (let p = parentOf(span); p; p = parentOf(byId.get(p)!)) {
          if (p === ancestor.spanContext().spanId) return true;
          if (!byId.has(p)) return false;
        }
        return false;
      };
      const fetches = spans.filter((span) => span.kind === SpanKind.CLIENT && under(span, event));
      assert.ok(fetches.length >= 1, 'a subgraph fetch under the event span');
      for (const fetch of fetches) {
        assert.equal(fetch.spanContext().traceId, event.spanContext().traceId);
      }
      const server = spans.find(
        (span) =>
          span.kind === SpanKind.SERVER &&
          fetches.some((fetch) => fetch.spanContext().spanId === parentOf(span)),
      );
      assert.ok(server, "the inventory subgraph's server span continues the event's trace");
    },
  );

  test('a caller without x-request-id gets a new one', async () => {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('x-request-id') ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  test("a back-end call sends its client span's traceparent", async () => {
    const received: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      received.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createBackendClient({ name: 'erp', baseUrl: `http://127.0.0.1:${port}/sap` });
    try {
      const parent = trace.getTracer('test').startSpan('request');
      await context.with(trace.setSpan(context.active(), parent), () =>
        client.request({ path: '/ping' }),
      );
      parent.end();
      const { traceId, spanId } = parent.spanContext();
      const call = exporter
        .getFinishedSpans()
        .find((s) => s.kind === SpanKind.CLIENT && parentOf(s) === spanId);
      assert.ok(call, 'a client span, child of the active one');
      assert.deepEqual(received, [`00-${traceId}-${call.spanContext().spanId}-01`]);
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
