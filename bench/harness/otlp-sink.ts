import { join } from 'node:path';
import type { ScenarioContext } from '../scenarios/scenario.ts';
import { cpuSeconds } from './proc-stats.ts';

/** Totals of the span sink since it started (harness/otlp-sink-server.ts). */
export type OtlpSinkStats = {
  /** POST /v1/traces requests (one per batch the gateway's exporter sent). */
  exports: number;
  /** Request body bytes, as sent (compressed if the exporter compressed). */
  bytes: number;
  /** Spans in uncompressed JSON exports (a count of the `"spanId"` key, not a parse). */
  spans: number;
  jsonExports: number;
  protobufExports: number;
  compressedExports: number;
  other: number;
};

/** What the sink received while one target ran one mode (warm-up and rounds). */
export type OtlpSinkReport = OtlpSinkStats & {
  /** CPU seconds of the sink's process over the same span; null off Linux. */
  sinkCpuSeconds: number | null;
};

export type OtlpSink = {
  /** For OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  endpoint: string;
  pid: number;
  stats(): Promise<OtlpSinkStats>;
  cpuSeconds(): number | undefined;
};

/**
 * Starts the span sink of target a-otel as its own child process (`node --import tsx
 * harness/otlp-sink-server.ts`), outside the gateway's process tree and outside the harness (so
 * neither the gateway's CPU nor autocannon's is charged for it), stopped with the scenario's
 * other children.
 */
export async function startOtlpSink(context: ScenarioContext, name: string): Promise<OtlpSink> {
  const port = await context.freePort();
  const child = context.startChild({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(import.meta.dirname, 'otlp-sink-server.ts')],
    cwd: context.repoRoot,
    env: { PORT: String(port) },
  });
  const base = `http://127.0.0.1:${port}`;
  await context.waitForHttp(child, `${base}/stats`, {});
  return {
    endpoint: `${base}/v1/traces`,
    pid: child.pid,
    async stats() {
      const res = await fetch(`${base}/stats`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`${name}: GET /stats answered ${res.status}`);
      return (await res.json()) as OtlpSinkStats;
    },
    cpuSeconds: () => cpuSeconds([child.pid]),
  };
}

/**
 * The default batch span processor exports every 5 s (OTEL_BSP_SCHEDULE_DELAY) or when 512 spans
 * are queued, so spans of the last seconds of a mode arrive after its last round: wait until the
 * sink's export count has not moved for longer than one schedule delay (at most 20 s).
 */
export async function drainOtlpSink(sink: OtlpSink): Promise<OtlpSinkStats> {
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  let last = await sink.stats();
  let quietSince = performance.now();
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline && performance.now() - quietSince < 6_000) {
    await pause(500);
    const current = await sink.stats();
    if (current.exports !== last.exports) quietSince = performance.now();
    last = current;
  }
  return last;
}

/** after - before, field by field. */
export function sinkDelta(
  after: OtlpSinkStats,
  before: OtlpSinkStats,
  cpuAfter: number | undefined,
  cpuBefore: number | undefined,
): OtlpSinkReport {
  return {
    exports: after.exports - before.exports,
    bytes: after.bytes - before.bytes,
    spans: after.spans - before.spans,
    jsonExports: after.jsonExports - before.jsonExports,
    protobufExports: after.protobufExports - before.protobufExports,
    compressedExports: after.compressedExports - before.compressedExports,
    other: after.other - before.other,
    sinkCpuSeconds: cpuAfter === undefined || cpuBefore === undefined ? null : cpuAfter - cpuBefore,
  };
}
