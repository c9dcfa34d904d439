import type { RunningScenario } from '../scenarios/scenario.ts';
import type { BenchTarget, RunningTarget } from '../targets/bench-target.ts';
import type { BenchOptions } from './bench-options.ts';
import type { BenchMode, TargetResult } from './bench-report.ts';
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
  const statsBefore = await scenario.upstreamStats();
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
  await settle(scenario);
  const statsAfter = await scenario.upstreamStats();
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
  };
}
