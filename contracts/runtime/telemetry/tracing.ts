import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './tracing-config.ts';

export type Tracing = {
  /** Whether a tracer provider was registered. */
  enabled: boolean;
  /** Flushes and stops the exporter and unregisters the provider. */
  shutdown(): Promise<void>;
};

export type StartTracingOptions = {
  /**
   * Where spans go. Default: a batch processor with the OTLP/HTTP exporter, which reads
   * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself. Tests pass an
   * in-memory exporter behind a simple processor.
   */
  spanProcessors?: SpanProcessor[];
};

/**
 * Registers the process's tracer provider, W3C trace-context propagator and async context
 * manager when tracing is on; does nothing at all when it is off (the API then hands out
 * non-recording spans and every propagation call is a no-op). Called once by each process entry
 * (gateway/index.ts, subgraphs/shared/run-subgraph.ts), before anything is assembled.
 */
export function startTracing(config: TracingConfig, options: StartTracingOptions = {}): Tracing {
  if (!config.enabled) return { enabled: false, shutdown: async () => {} };
  // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (envDetector) over the process's default name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
