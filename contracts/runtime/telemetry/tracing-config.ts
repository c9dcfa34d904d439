import type { Env } from '../env.ts';

/**
 * Tracing from the standard OpenTelemetry variables, for the two config readers
 * (gateway/config.ts, subgraphs/shared/config.ts). Off by default. On when
 * OTEL_TRACES_EXPORTER is `otlp`, or when it is unset and an OTLP endpoint is
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); OTEL_SDK_DISABLED=true
 * wins over both. The exporter reads its own endpoint, header and timeout variables.
 */
export type TracingConfig = {
  /** Whether spans are recorded and exported. Default false. */
  enabled: boolean;
  /** `service.name` of the spans: OTEL_SERVICE_NAME, else the process's own default. */
  serviceName: string;
};

const SUPPORTED_EXPORTERS = ['otlp', 'none'];

export function tracingConfigFrom(env: Env, defaultServiceName: string): TracingConfig {
  const serviceName = env.OTEL_SERVICE_NAME || defaultServiceName;
  // The specification: only "true" (any case) disables; anything else leaves the SDK on.
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') {
    return { enabled: false, serviceName };
  }
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unsupported = exporters.filter((name) => !SUPPORTED_EXPORTERS.includes(name));
  if (unsupported.length > 0) {
    throw new Error(
      `OTEL_TRACES_EXPORTER must be otlp or none (OTLP over HTTP), got "${env.OTEL_TRACES_EXPORTER}"`,
    );
  }
  const enabled =
    exporters.length > 0
      ? exporters.includes('otlp')
      : Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  return { enabled, serviceName };
}
