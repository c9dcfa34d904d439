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

/** The specification's samplers; the SDK reads OTEL_TRACES_SAMPLER(_ARG) itself. */
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/**
 * The SDK falls back to "sample everything" on a sampler name or ratio it does not know, and
 * says so only on its (silent) diagnostic channel: refused here instead, so a typo in a
 * production cost setting stops the process rather than tracing every request.
 */
function checkSampler(env: Env): void {
  const sampler = env.OTEL_TRACES_SAMPLER?.trim();
  if (sampler && !SAMPLERS.includes(sampler)) {
    throw new Error(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${sampler}"`);
  }
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (arg && sampler?.endsWith('traceidratio')) {
    const ratio = Number(arg);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got "${arg}"`);
    }
  }
}

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
  checkSampler(env);
  const enabled =
    exporters.length > 0
      ? exporters.includes('otlp')
      : Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  return { enabled, serviceName };
}
