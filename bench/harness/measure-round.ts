import type { CacheReadCounts, RunningScenario } from '../scenarios/scenario.ts';
import type { BenchTarget, RunningTarget } from '../targets/bench-target.ts';
import type { BenchOptions } from './bench-options.ts';
import type { BenchMode, TargetResult } from './bench-report.ts';
import { addCacheReadDeltas, cacheReadsResult } from './cache-reads.ts';
import { mergeRounds, runLoad, type LoadRound } from './load.ts';
import { cpuSeconds, processTree, rssBytes } from './proc-stats.ts';

/**
 * The headers one mode sends: one token for all, or one per connection. Both are asked again for
 * every load run (check, warm-up, round), so a short-lived signed principal is renewed between
 * runs (scenarios/ours/bench-principal.ts).
 */
export type ModeLoad = {
  mode: BenchMode;
  headers: () => Record<string, string>;
  connectionHeaders?: (connection: number) => Record<string, string>;
};

/** One target's measurements in one mode, summed over its rounds. */
export type Accumulated = {
  rounds: LoadRound[];
  wallSeconds: number;
  gatewayCpuSeconds: number | undefined;
  subgraphCpuSeconds: number | undefined;
  loadgenCpuSeconds: number;
  peakRss: number | undefined;
  loadgenPeakRss: number;
  upstreamRequests: number | undefined;
  upstreamWithAuthorization: number | undefined;
  /**
   * Per named scenario process (`erp`, each subgraph) and `gateway`: CPU seconds from the start of
   * each round until the stack went quiet after it (the requests in flight at the stop included).
   * Undefined when the scenario names no processes.
   */
  processCpuSeconds: Record<string, number> | undefined;
  /** Emulated ERP calls per route key over the same windows; undefined without an ERP. */
  erpCalls: Record<string, number> | undefined;
  /** ... their total per round, divided by the requests sent in that round. */
  erpCallsPerRequestPerRound: number[];
  /**
   * Reads through the subgraphs' ERP caches per `subgraph/port` and outcome over the same
   * windows; undefined when the scenario does not count them.
   */
  cacheReads: CacheReadCounts | undefined;
  /** Requests sent (those in flight at the stop included), summed over the rounds. */
  sentRequests: number;
};

/**
 * Waits until the subgraphs have seen no new request for a moment: requests still in flight when a
 * round stops must not load the next target's round (nor be missed in the upstream counts).
 */
export async function settle(scenario: RunningScenario): Promise<void> {
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  let previous = await scenario.upstreamStats();
  if (!previous) return pause(500);
  for (let waited = 0; waited < 15_000; waited += 250) {
    await pause(250);
    const current = await scenario.upstreamStats();
    if (current?.requests === previous?.requests) return;
    previous = current;
  }
}

/**
 * Waits until the emulated ERP has seen no new call for 250 ms (at most 15 s): the requests in
 * flight when a round stopped have then made their ERP calls, so the calls and CPU read after it
 * belong to the requests the round sent.
 */
async function erpQuiet(scenario: RunningScenario): Promise<void> {
  if (!scenario.erpCounts) return;
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  let previous = (await scenario.erpCounts()).total;
  for (let waited = 0; waited < 15_000; waited += 250) {
    await pause(250);
    const current = (await scenario.erpCounts()).total;
    if (current === previous) return;
    previous = current;
  }
}

const MB = 1024 * 1024;

const addMaybe = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a + b;

const delta = (after: number | undefined, before: number | undefined): number | undefined =>
  after === undefined || before === undefined ? undefined : after - before;

/** One measured round of one target: load plus CPU, memory and upstream counters around it. */
export async function measureRound(
  options: BenchOptions,
  scenario: RunningScenario,
  target: RunningTarget,
  load: ModeLoad,
  into: Accumulated,
): Promise<LoadRound> {
  const gatewayTree = processTree(target.pids);
  const subgraphTree = processTree(scenario.pids);
  const named = [
    ...(scenario.processes ?? []).map((p) => ({ name: p.name, tree: processTree([p.pid]) })),
    ...(scenario.processes && target.pids.length > 0
      ? [{ name: 'gateway', tree: gatewayTree }]
      : []),
  ];
  const statsBefore = await scenario.upstreamStats();
  const erpBefore = await scenario.erpCounts?.();
  const cacheBefore = await scenario.cacheReads?.();
  const namedCpu0 = named.map((p) => cpuSeconds(p.tree));
  let peakRss = target.pids.length > 0 ? rssBytes(gatewayTree) : undefined;
  let loadgenPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const rss = target.pids.length > 0 ? rssBytes(gatewayTree) : undefined;
    if (rss !== undefined) peakRss = Math.max(peakRss ?? 0, rss);
    loadgenPeak = Math.max(loadgenPeak, process.memoryUsage().rss);
  }, 200);
  const gatewayCpu0 = cpuSeconds(gatewayTree);
  const subgraphCpu0 = cpuSeconds(subgraphTree);
  const loadgenCpu0 = process.cpuUsage();
  const t0 = performance.now();
  let round: LoadRound;
  try {
    round = await runLoad({
      url: target.url,
      workload: scenario.workload,
      headers: load.headers(),
      ...(load.connectionHeaders ? { connectionHeaders: load.connectionHeaders } : {}),
      connections: options.connections,
      durationSeconds: options.roundSeconds,
    });
  } finally {
    clearInterval(sampler);
  }
  const wall = (performance.now() - t0) / 1000;
  const loadgenCpu = process.cpuUsage(loadgenCpu0);
  const gatewayCpu1 = cpuSeconds(gatewayTree);
  const subgraphCpu1 = cpuSeconds(subgraphTree);
  await erpQuiet(scenario);
  await settle(scenario);
  const namedCpu1 = named.map((p) => cpuSeconds(p.tree));
  const erpAfter = await scenario.erpCounts?.();
  const cacheAfter = await scenario.cacheReads?.();
  const statsAfter = await scenario.upstreamStats();
  into.sentRequests += round.totalRequests;
  if (scenario.processes) {
    const cpu = (into.processCpuSeconds ??= {});
    named.forEach((p, i) => {
      const used = delta(namedCpu1[i], namedCpu0[i]);
      if (used !== undefined) cpu[p.name] = (cpu[p.name] ?? 0) + used;
    });
  }
  if (erpBefore && erpAfter) {
    const calls = (into.erpCalls ??= {});
    for (const [route, after] of Object.entries(erpAfter.routes)) {
      const made = after - (erpBefore.routes[route] ?? 0);
      if (made > 0) calls[route] = (calls[route] ?? 0) + made;
    }
    into.erpCallsPerRequestPerRound.push(
      round.totalRequests > 0 ? (erpAfter.total - erpBefore.total) / round.totalRequests : 0,
    );
  }
  if (cacheBefore && cacheAfter) {
    addCacheReadDeltas((into.cacheReads ??= {}), cacheBefore, cacheAfter);
  }
  into.rounds.push(round);
  into.wallSeconds += wall;
  into.gatewayCpuSeconds =
    target.pids.length === 0
      ? undefined
      : addMaybe(into.gatewayCpuSeconds, delta(gatewayCpu1, gatewayCpu0));
  into.subgraphCpuSeconds = addMaybe(into.subgraphCpuSeconds, delta(subgraphCpu1, subgraphCpu0));
  into.loadgenCpuSeconds += (loadgenCpu.user + loadgenCpu.system) / 1e6;
  into.peakRss = peakRss === undefined ? undefined : Math.max(into.peakRss ?? 0, peakRss);
  into.loadgenPeakRss = Math.max(into.loadgenPeakRss, loadgenPeak);
  if (statsBefore && statsAfter) {
    into.upstreamRequests = addMaybe(
      into.upstreamRequests,
      statsAfter.requests - statsBefore.requests,
    );
    into.upstreamWithAuthorization = addMaybe(
      into.upstreamWithAuthorization,
      statsAfter.withAuthorization - statsBefore.withAuthorization,
    );
  } else {
    into.upstreamRequests = undefined;
    into.upstreamWithAuthorization = undefined;
  }
  return round;
}

export function freshAccumulator(): Accumulated {
  return {
    rounds: [],
    wallSeconds: 0,
    gatewayCpuSeconds: 0,
    subgraphCpuSeconds: 0,
    loadgenCpuSeconds: 0,
    peakRss: undefined,
    loadgenPeakRss: 0,
    upstreamRequests: 0,
    upstreamWithAuthorization: 0,
    processCpuSeconds: undefined,
    erpCalls: undefined,
    erpCallsPerRequestPerRound: [],
    cacheReads: undefined,
    sentRequests: 0,
  };
}

/** `API_PRODUCT_SRV/A_Product` → `API_PRODUCT_SRV` (the OData service of a route key). */
export function erpService(route: string): string {
  return route.split('/')[0] ?? route;
}

/** Per-request CPU (ms) per process and ERP calls per request by service and route. */
function perRequest(
  acc: Accumulated,
): Pick<TargetResult, 'cpuMsPerRequest' | 'erpCallsPerRequest'> {
  const sent = acc.sentRequests;
  const cpuMsPerRequest =
    acc.processCpuSeconds && sent > 0
      ? Object.fromEntries(
          Object.entries(acc.processCpuSeconds).map(([name, s]) => [name, (s * 1000) / sent]),
        )
      : null;
  if (!acc.erpCalls || sent === 0) return { cpuMsPerRequest, erpCallsPerRequest: null };
  const byRoute: Record<string, number> = {};
  const byService: Record<string, number> = {};
  let total = 0;
  for (const [route, calls] of Object.entries(acc.erpCalls).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    byRoute[route] = calls / sent;
    byService[erpService(route)] = (byService[erpService(route)] ?? 0) + calls / sent;
    total += calls;
  }
  return {
    cpuMsPerRequest,
    erpCallsPerRequest: {
      total: total / sent,
      byService,
      byRoute,
      perRound: acc.erpCallsPerRequestPerRound,
    },
  };
}

/** The report row of one target in one mode (the ratios to c and a0 are added later). */
export function toResult(
  scenario: string,
  mode: BenchMode,
  target: BenchTarget,
  url: string,
  acc: Accumulated,
  checkedBodyBytes: number,
): TargetResult {
  const merged = mergeRounds(url, acc.rounds);
  const percent = (seconds: number | undefined): number | null =>
    seconds === undefined || acc.wallSeconds === 0 ? null : (seconds / acc.wallSeconds) * 100;
  const gatewayCpuPercent = percent(acc.gatewayCpuSeconds);
  return {
    scenario,
    mode,
    target: target.id,
    label: target.label,
    rps: merged.rps,
    rpsPerRound: merged.rpsPerRound,
    p50Ms: merged.p50Ms,
    p99Ms: merged.p99Ms,
    okResponses: merged.okResponses,
    failures: merged.failures,
    graphqlErrors: merged.graphqlErrors,
    errorSamples: merged.errorSamples,
    bytesPerResponse: Math.round(merged.bytesPerResponse),
    checkedBodyBytes,
    gatewayCpuPercent,
    gatewayPeakRssMb: acc.peakRss === undefined ? null : acc.peakRss / MB,
    subgraphCpuPercent: percent(acc.subgraphCpuSeconds),
    loadgenCpuPercent: percent(acc.loadgenCpuSeconds) ?? 0,
    loadgenPeakRssMb: acc.loadgenPeakRss / MB,
    upstreamPerRequest:
      acc.upstreamRequests === undefined || merged.sentRequests === 0
        ? null
        : acc.upstreamRequests / merged.sentRequests,
    upstreamWithAuthorization:
      acc.upstreamRequests === undefined || acc.upstreamWithAuthorization === undefined
        ? null
        : acc.upstreamRequests === 0
          ? 0
          : acc.upstreamWithAuthorization / acc.upstreamRequests,
    ratioVsApollo: null,
    ratioVsA0: null,
    rpsPerGatewayCore:
      gatewayCpuPercent === null || gatewayCpuPercent === 0
        ? null
        : merged.rps / (gatewayCpuPercent / 100),
    ...perRequest(acc),
    cacheReads: cacheReadsResult(acc.cacheReads, acc.sentRequests),
  };
}
