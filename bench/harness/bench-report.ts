import { cpus, availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import type { OtlpSinkReport } from './otlp-sink.ts';

export type BenchMode = 'as-sent' | 'dedup-defeated';

/**
 * Reads through the subgraphs' ERP caches over the rounds (same window as the ERP calls). A read
 * the ERP failed is counted once, as a miss; `staleIfError` and `error` say how those ended.
 */
export type CacheReads = {
  /** Reads: served fresh, served stale, or missed (read from the ERP). */
  reads: number;
  /** ... per request sent. */
  readsPerRequest: number;
  /** Hit rate: served from the cache, fresh or stale, of all reads; null without reads. */
  hitRate: number | null;
  /** Served stale (past the fresh window, read again in the background), of all reads. */
  staleShare: number | null;
  /** Misses the ERP failed, answered with the last known value. */
  staleIfError: number;
  /** Misses the ERP failed with nothing to fall back to. */
  error: number;
};

/** A target's cache reads: all ports together, and each port read, by `subgraph/port`. */
export type TargetCacheReads = { total: CacheReads; byPort: Record<string, CacheReads> };

/** One target in one scenario and mode, over all its rounds. */
export type TargetResult = {
  scenario: string;
  mode: BenchMode;
  target: string;
  label: string;
  /** 2xx responses per second over all rounds, and per round. */
  rps: number;
  rpsPerRound: number[];
  p50Ms: number;
  p99Ms: number;
  okResponses: number;
  /** Connection errors, timeouts, non-2xx responses and 2xx responses with GraphQL errors. */
  failures: number;
  /** ... of which 2xx responses with GraphQL `errors` (not counted in rps). */
  graphqlErrors: number;
  /** Up to three distinct GraphQL errors seen under load (`CODE: message`). */
  errorSamples: string[];
  /** Average bytes per response under load (headers and body). */
  bytesPerResponse: number;
  /** Bytes of the body the response check got. */
  checkedBodyBytes: number;
  /** CPU of the gateway's process tree, 100 = one core; null for the floor or off Linux. */
  gatewayCpuPercent: number | null;
  gatewayPeakRssMb: number | null;
  subgraphCpuPercent: number | null;
  loadgenCpuPercent: number;
  loadgenPeakRssMb: number;
  /**
   * Subgraph requests per request sent (the fan-out after any deduplication; the subgraphs are
   * read once the gateway has gone quiet after the round).
   */
  upstreamPerRequest: number | null;
  /** Share of those subgraph requests that carried an `authorization` header. */
  upstreamWithAuthorization: number | null;
  /** rps / rps of stock @apollo/gateway in the same scenario and mode. */
  ratioVsApollo: number | null;
  /**
   * rps / rps of a0 (our gateway from the `--baseline` checkout) in the same scenario and mode:
   * for a, the throughput gain (> 1) or cost (< 1) of the change. Null without a0.
   */
  ratioVsA0: number | null;
  /**
   * a-otel only: rps / rps of a (our gateway, tracing off) in the same scenario and mode, the
   * throughput cost of tracing (below 1); null when a did not run.
   */
  ratioVsA?: number | null;
  /** rps per core of gateway CPU used. */
  rpsPerGatewayCore: number | null;
  /**
   * Scenarios on our stack: CPU milliseconds per request sent, per process (`erp` the emulated
   * ERP and channels, `promotion`, `pricing`, `inventory`, `funding`, and `gateway`), from the
   * start of each round until the ERP went quiet after it. Null where the scenario names no
   * processes (or off Linux).
   */
  cpuMsPerRequest?: Record<string, number> | null;
  /**
   * Scenarios on our stack: emulated ERP calls per request sent over the rounds (same window),
   * in total, by OData service and by route key, and the total per round. Null without an ERP.
   */
  erpCallsPerRequest?: {
    total: number;
    byService: Record<string, number>;
    byRoute: Record<string, number>;
    perRound: number[];
  } | null;
  /**
   * Scenarios whose subgraphs count their cache reads (the storefront): reads through the ERP
   * caches over the rounds (same window), all ports and per port. Null where none are counted.
   */
  cacheReads?: TargetCacheReads | null;
  /**
   * a-otel only: what its span sink received during this mode (warm-up and rounds, plus the
   * exports that arrived until the sink went quiet after the last round).
   */
  otlpSink?: OtlpSinkReport & {
    /** Gateway requests answered in the warm-up and rounds of this mode. */
    gatewayRequests: number;
    /**
     * spans / gatewayRequests (JSON exports only); null when no span was counted. Reads high
     * under many connections: requests in flight when a load run stops are traced, not counted.
     */
    spansPerRequest: number | null;
  };
};

export type ResponseCheck = {
  scenario: string;
  mode: BenchMode;
  targets: string[];
  /** The workload's steps, in order (one for a single operation). */
  steps: string[];
  /**
   * When the workload's requests vary (the skewed storefront): the fixed requests the check sent
   * to every target instead, in order (each answer compared across targets).
   */
  checkedRequests?: string[];
  /** Compact JSON bytes of the reference responses, summed over the steps. */
  bytes: number;
  matched: true;
};

export type MachineInfo = {
  nproc: number;
  cpuModel: string;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
};

export type BenchReport = {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  settings: {
    scenarios: string[];
    targets: string[];
    connections: number;
    warmupSeconds: number;
    roundSeconds: number;
    rounds: number;
    smoke: boolean;
    /** `--storefront-workload` and `--workload-seed`. */
    storefrontWorkload?: string;
    workloadSeed?: number;
    /** The `--baseline` checkout target a0 ran (commit null when unreadable). */
    baseline?: { dir: string; commit: string | null };
  };
  skipped: { scenario: string; target: string; reason: string }[];
  /** Per scenario, what it reported about its setup (the storefront: workload, offer coverage). */
  scenarioNotes?: Record<string, Record<string, unknown>>;
  checks: ResponseCheck[];
  results: TargetResult[];
};

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel =
      /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    cpuModel,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

const fixed = (value: number | null, digits = 0): string =>
  value === null ? 'n/a' : value.toFixed(digits);

function spreadPercent(values: number[]): string {
  if (values.length < 2) return '';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return '';
  return `±${(((Math.max(...values) - Math.min(...values)) / 2 / mean) * 100).toFixed(0)}%`;
}

const times = (ratio: number | null): string => (ratio === null ? 'n/a' : `${ratio.toFixed(2)}x`);

/**
 * The results as an aligned Markdown table (pasteable into bench/README.md); with a0 (`--baseline`)
 * also a column `x a0`, each row's rps over a0's.
 */
export function formatTable(results: readonly TargetResult[]): string {
  const withA0 = results.some((r) => r.ratioVsA0 !== null);
  const header = [
    'scenario',
    'mode',
    'target',
    'rps',
    'spread',
    'p50 ms',
    'p99 ms',
    'gw CPU %',
    'gw peak RSS MB',
    'subgraph CPU %',
    'loadgen CPU %',
    'upstream req/req',
    'failed',
    'x stock Apollo',
    ...(withA0 ? ['x a0'] : []),
  ];
  const rows = results.map((r) => [
    r.scenario,
    r.mode,
    `${r.target} ${r.label}`,
    fixed(r.rps, r.rps < 100 ? 1 : 0),
    spreadPercent(r.rpsPerRound),
    fixed(r.p50Ms),
    fixed(r.p99Ms),
    fixed(r.gatewayCpuPercent),
    fixed(r.gatewayPeakRssMb),
    fixed(r.subgraphCpuPercent),
    fixed(r.loadgenCpuPercent),
    fixed(r.upstreamPerRequest, 1),
    String(r.failures),
    times(r.ratioVsApollo),
    ...(withA0 ? [times(r.ratioVsA0)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i >= 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i >= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * With a0 (`--baseline`): one line per scenario and mode, a / a0 over all rounds and per round
 * (a and a0 run next to each other in every round, so the per-round ratios pair like with like).
 * Empty without a0 or a.
 */
export function formatBaselineSummary(
  results: readonly TargetResult[],
  baselineCommit: string | null | undefined,
): string {
  const lines: string[] = [];
  for (const a0 of results.filter((r) => r.target === 'a0')) {
    const a = results.find(
      (r) => r.scenario === a0.scenario && r.mode === a0.mode && r.target === 'a',
    );
    if (!a) continue;
    const perRound = a.rpsPerRound.map((rps, i) => {
      const before = a0.rpsPerRound[i];
      return before ? times(rps / before) : 'n/a';
    });
    lines.push(
      `a / a0 ${a.scenario} ${a.mode}: ${times(a.ratioVsA0)} ` +
        `(${fixed(a.rps, 1)} vs ${fixed(a0.rps, 1)} rps` +
        `${perRound.length > 1 ? `; per round ${perRound.join(', ')}` : ''})`,
    );
  }
  if (lines.length === 0) return '';
  return [
    `a = this checkout, a0 = ${baselineCommit?.slice(0, 7) ?? 'the baseline checkout'}; ` +
      'above 1.00x the change gained throughput, below it cost some:',
    ...lines,
  ].join('\n');
}

/**
 * With a-otel: one line per scenario and mode, a-otel / a over all rounds and per round (they run
 * back to back in every round), the p99s, and what the span sink received. Empty without a-otel
 * or a.
 */
export function formatTracingSummary(results: readonly TargetResult[]): string {
  const lines: string[] = [];
  for (const traced of results.filter((r) => r.target === 'a-otel')) {
    const a = results.find(
      (r) => r.scenario === traced.scenario && r.mode === traced.mode && r.target === 'a',
    );
    const sink = traced.otlpSink;
    const received = sink
      ? `; sink ${sink.exports} exports, ${(sink.bytes / 1024 / 1024).toFixed(1)} MB, ` +
        `${sink.spans} spans` +
        (sink.spansPerRequest === null ? '' : ` (${sink.spansPerRequest.toFixed(1)} per request)`) +
        (sink.sinkCpuSeconds === null ? '' : `, sink CPU ${sink.sinkCpuSeconds.toFixed(1)} s`)
      : '; sink: no report';
    if (!a) {
      lines.push(`a-otel ${traced.scenario} ${traced.mode}: a did not run${received}`);
      continue;
    }
    const perRound = traced.rpsPerRound.map((rps, i) => {
      const off = a.rpsPerRound[i];
      return off ? times(rps / off) : 'n/a';
    });
    lines.push(
      `a-otel / a ${a.scenario} ${a.mode}: ${times(traced.ratioVsA ?? null)} ` +
        `(${fixed(traced.rps, 1)} vs ${fixed(a.rps, 1)} rps` +
        `${perRound.length > 1 ? `; per round ${perRound.join(', ')}` : ''}; ` +
        `p99 ${fixed(traced.p99Ms)} vs ${fixed(a.p99Ms)} ms${received})`,
    );
  }
  if (lines.length === 0) return '';
  return [
    'a-otel = a with tracing on (OTLP/HTTP to the span sink); below 1.00x tracing cost throughput:',
    ...lines,
  ].join('\n');
}

const percentOf = (share: number | null): string =>
  share === null ? 'n/a' : (share * 100).toFixed(1);

/** A Markdown table: text columns (`isText`) left-aligned, numbers right-aligned. */
function alignedTable(
  header: string[],
  rows: string[][],
  isText: (column: number) => boolean,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (isText(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (isText(i) ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** `staleIfError 3, error 1`: the ERP failures among the misses, empty when there were none. */
function erpFailures(reads: CacheReads): string {
  return [
    ...(reads.staleIfError > 0 ? [`staleIfError ${reads.staleIfError}`] : []),
    ...(reads.error > 0 ? [`error ${reads.error}`] : []),
  ].join(', ');
}

/**
 * Scenarios whose subgraphs count their cache reads: per target and mode, one row for all ports
 * (`all`) and one per port read, with reads per request, hit rate, stale share and the ERP
 * failures among the misses. Empty when no result has them.
 */
export function formatCacheTable(results: readonly TargetResult[]): string {
  const rows = results.flatMap((r) => {
    if (!r.cacheReads) return [];
    const ports: [string, CacheReads][] = [
      ['all', r.cacheReads.total],
      ...Object.entries(r.cacheReads.byPort),
    ];
    return ports.map(([port, reads]) => [
      r.scenario,
      r.mode,
      r.target,
      port,
      fixed(reads.readsPerRequest, 2),
      percentOf(reads.hitRate),
      percentOf(reads.staleShare),
      erpFailures(reads),
    ]);
  });
  if (rows.length === 0) return '';
  const header = [
    'scenario',
    'mode',
    'target',
    'port',
    'reads/req',
    'hit %',
    'stale %',
    'ERP failed',
  ];
  return alignedTable(header, rows, (column) => column < 4 || column === 7);
}

/** Short names for the ERP's OData services in the per-request table. */
const SERVICE_LABELS: Record<string, string> = {
  API_PRODUCT_SRV: 'product',
  API_MATERIAL_STOCK_SRV: 'stock',
  API_PLANT_SRV: 'plants',
};

const serviceLabel = (service: string): string =>
  SERVICE_LABELS[service] ?? service.replace(/^API_/, '').replace(/_SRV$/, '').toLowerCase();

/**
 * Scenarios on our stack: per target and mode, CPU milliseconds per request in the gateway, each
 * subgraph and the emulated ERP, and ERP calls per request in total and by service (with the
 * first and last round's totals, cold and warm). Empty when no result has them.
 */
export function formatPerRequestTable(results: readonly TargetResult[]): string {
  const rows = results.filter((r) => r.cpuMsPerRequest || r.erpCallsPerRequest || r.cacheReads);
  if (rows.length === 0) return '';
  const processes = [...new Set(rows.flatMap((r) => Object.keys(r.cpuMsPerRequest ?? {})))];
  const ordered = [
    ...processes.filter((p) => p === 'gateway'),
    ...processes.filter((p) => p !== 'gateway' && p !== 'erp'),
    ...processes.filter((p) => p === 'erp'),
  ];
  const services = [
    ...new Set(rows.flatMap((r) => Object.keys(r.erpCallsPerRequest?.byService ?? {}))),
  ].sort();
  const header = [
    'scenario',
    'mode',
    'target',
    'rps',
    'p50 ms',
    'p99 ms',
    ...ordered.map((p) => `${p === 'erp' ? 'ERP' : p} CPU ms/req`),
    'cache hit %',
    'ERP calls/req',
    'first, last round',
    ...services.map((s) => `${serviceLabel(s)}/req`),
  ];
  const table = rows.map((r) => {
    const erp = r.erpCallsPerRequest;
    const rounds = erp?.perRound ?? [];
    return [
      r.scenario,
      r.mode,
      r.target,
      fixed(r.rps, r.rps < 100 ? 1 : 0),
      fixed(r.p50Ms),
      fixed(r.p99Ms),
      ...ordered.map((p) => fixed(r.cpuMsPerRequest?.[p] ?? null, 1)),
      percentOf(r.cacheReads?.total.hitRate ?? null),
      fixed(erp?.total ?? null, 2),
      rounds.length > 0
        ? `${rounds[0]!.toFixed(2)}, ${rounds[rounds.length - 1]!.toFixed(2)}`
        : 'n/a',
      ...services.map((s) => fixed(erp?.byService[s] ?? (erp ? 0 : null), 2)),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i >= 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i >= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...table.map(line),
  ].join('\n');
}
