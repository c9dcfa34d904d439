import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from '../scenarios/index.ts';
import { BENCH_PRINCIPAL_VALID_SECONDS } from '../scenarios/ours/bench-principal.ts';
import type { RunningScenario, Scenario, ScenarioContext } from '../scenarios/scenario.ts';
import {
  BASELINE_CHECKOUT_TARGET_ID,
  BASELINE_TARGET_ID,
  selectTargets,
  TRACED_TARGET_ID,
} from '../targets/index.ts';
import { baselineCheckout, type BaselineCheckout } from './baseline-checkout.ts';
import { BenchUsageError, type BenchOptions } from './bench-options.ts';
import { machineInfo, type BenchReport, type TargetResult } from './bench-report.ts';
import { createBenchSecrets, type BenchSecrets } from './bench-secrets.ts';
import { benchTokens } from './bench-tokens.ts';
import { startChild, waitForHttp, type ManagedChild } from './child-process.ts';
import { freePort } from './free-port.ts';
import { LOAD_TIMEOUT_SECONDS, runLoad, type LoadRound } from './load.ts';
import {
  freshAccumulator,
  measureRound,
  settle,
  toResult,
  type ModeLoad,
} from './measure-round.ts';
import { drainOtlpSink, sinkDelta, type OtlpSinkStats } from './otlp-sink.ts';
import { checkResponses } from './response-check.ts';

export type RunBenchDeps = {
  repoRoot: string;
  benchRoot: string;
  log(message: string): void;
};

function modeLoads(
  deps: RunBenchDeps,
  scenario: Scenario,
  running: RunningScenario,
  connections: number,
  secrets: BenchSecrets,
): ModeLoad[] {
  const tokens = benchTokens(deps.repoRoot, scenario.principal, connections, secrets.signingKey);
  const extra = (subject: string): Record<string, string> => running.extraHeaders?.(subject) ?? {};
  return [
    {
      mode: 'as-sent',
      headers: () => ({ authorization: `Bearer ${tokens.shared}`, ...extra('bench') }),
    },
    {
      mode: 'dedup-defeated',
      headers: () => ({}),
      connectionHeaders: (i) => ({
        authorization: `Bearer ${tokens.perConnection[i]!}`,
        ...extra(`bench-${i}`),
      }),
    },
  ];
}

/** Every scenario: subgraphs up, gateways up, responses checked, then warm-up and rounds. */
async function runScenario(
  options: BenchOptions,
  deps: RunBenchDeps,
  scenario: Scenario,
  report: BenchReport,
  secrets: BenchSecrets,
  baseline: BaselineCheckout | undefined,
): Promise<void> {
  const log = (message: string): void => deps.log(`[${scenario.name}] ${message}`);
  const workDir = mkdtempSync(join(tmpdir(), `bench-${scenario.name}-`));
  const children: ManagedChild[] = [];
  const context: ScenarioContext = {
    repoRoot: deps.repoRoot,
    workDir,
    secrets,
    freePort,
    startChild(spec) {
      const child = startChild(spec);
      children.push(child);
      return child;
    },
    waitForHttp: (child, url, init) => waitForHttp(child, url, init),
    log,
    workloadOptions: { storefront: options.storefrontWorkload, seed: options.workloadSeed },
  };
  try {
    const running = await scenario.start(context);
    if (running.notes) (report.scenarioNotes ??= {})[scenario.name] = running.notes;
    const checked = running.checkWorkload ?? running.workload;
    // A load run fixes its headers when it starts: the signed principal must outlive it.
    const longestRun = Math.max(options.roundSeconds, options.warmupSeconds) + LOAD_TIMEOUT_SECONDS;
    if (running.extraHeaders && longestRun > BENCH_PRINCIPAL_VALID_SECONDS) {
      throw new BenchUsageError(
        `${scenario.name}: --duration and --warmup must be at most ` +
          `${BENCH_PRINCIPAL_VALID_SECONDS - LOAD_TIMEOUT_SECONDS} s: the gateway-signed ` +
          `principal the load sends lives ${BENCH_PRINCIPAL_VALID_SECONDS} s at most`,
      );
    }
    const targets = selectTargets(options.only, baseline).filter((target) => {
      const reason = target.unavailable(running, deps.benchRoot);
      if (reason) {
        log(`skipping ${target.id} ${target.label}: ${reason}`);
        report.skipped.push({ scenario: scenario.name, target: target.id, reason });
      }
      return !reason;
    });
    if (targets.length === 0) throw new Error(`${scenario.name}: no target can run`);
    log(`starting ${targets.map((t) => `${t.id} ${t.label}`).join(', ')}`);
    const started = await Promise.all(
      targets.map(async (target) => {
        const t0 = performance.now();
        const up = await target.start({ ...context, benchRoot: deps.benchRoot, scenario: running });
        log(`${target.id} up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        return up;
      }),
    );
    for (const load of modeLoads(deps, scenario, running, options.connections, secrets)) {
      const firstHeaders = { ...load.headers(), ...load.connectionHeaders?.(0) };
      const check = await checkResponses(
        targets.map((target, i) => ({ id: target.id, label: target.label, url: started[i]!.url })),
        checked,
        firstHeaders,
      );
      report.checks.push({
        scenario: scenario.name,
        mode: load.mode,
        steps: running.workload.steps.map((step) => step.name),
        ...(running.checkWorkload
          ? { checkedRequests: running.checkWorkload.steps.map((step) => step.name) }
          : {}),
        ...check,
        matched: true,
      });
      log(
        `${load.mode}: responses identical across ${check.targets.join(', ')} (${check.bytes} bytes` +
          `${running.checkWorkload ? ` over ${checked.steps.length} requests` : ''})`,
      );
      // Span sinks (a-otel): totals at the start of this mode, and the gateway's requests since.
      const sinksBefore = await Promise.all(
        started.map(async (up) =>
          up.otlpSink
            ? { stats: await up.otlpSink.stats(), cpu: up.otlpSink.cpuSeconds() }
            : undefined,
        ),
      );
      const answered = targets.map(() => 0);
      const countAnswered = (i: number, run: LoadRound): void => {
        answered[i]! += run['2xx'] + run.non2xx;
      };
      if (options.warmupSeconds > 0) {
        for (const [i, target] of targets.entries()) {
          log(`${load.mode}: warm-up ${target.id} ${options.warmupSeconds} s`);
          const warmup = await runLoad({
            url: started[i]!.url,
            workload: running.workload,
            headers: load.headers(),
            ...(load.connectionHeaders ? { connectionHeaders: load.connectionHeaders } : {}),
            connections: options.connections,
            durationSeconds: options.warmupSeconds,
          });
          countAnswered(i, warmup);
          await settle(running);
        }
      }
      const accumulated = targets.map(freshAccumulator);
      for (let round = 0; round < options.rounds; round++) {
        const order = targets.map((_, i) => i);
        if (round % 2 === 1) order.reverse();
        for (const i of order) {
          const result = await measureRound(options, running, started[i]!, load, accumulated[i]!);
          countAnswered(i, result);
          const ok = result['2xx'] - result.graphqlErrors;
          const rps = result.duration > 0 ? ok / result.duration : 0;
          log(
            `${load.mode}: round ${round + 1}/${options.rounds} ${targets[i]!.id} ` +
              `${rps.toFixed(1)} rps` +
              (result.errors + result.non2xx + result.graphqlErrors > 0
                ? ` (${result.errors} errors, ${result.non2xx} non-2xx, ` +
                  `${result.graphqlErrors} with GraphQL errors` +
                  `${result.errorSamples.length > 0 ? `: ${result.errorSamples.join(' | ')}` : ''})`
                : ''),
          );
        }
      }
      const sinkReports = await Promise.all(
        started.map(async (up, i) => {
          const before = sinksBefore[i];
          if (!up.otlpSink || !before) return undefined;
          const after: OtlpSinkStats = await drainOtlpSink(up.otlpSink);
          const received = sinkDelta(after, before.stats, up.otlpSink.cpuSeconds(), before.cpu);
          const id = targets[i]!.id;
          log(
            `${load.mode}: ${id} span sink received ${received.exports} exports, ` +
              `${received.bytes} bytes, ${received.spans} spans (${answered[i]} requests)`,
          );
          // Tracing that exported nothing would pass for a tracing-off number: fail loudly.
          const uncountable = received.protobufExports + received.compressedExports;
          if (received.exports === 0 || (received.spans === 0 && uncountable === 0)) {
            throw new Error(
              `${scenario.name} ${load.mode}: ${id}'s span sink received ` +
                `${received.exports} exports and ${received.spans} spans over ${answered[i]} ` +
                `requests: the gateway did not export its spans, so ${id} did not measure ` +
                'tracing',
            );
          }
          return {
            ...received,
            gatewayRequests: answered[i]!,
            spansPerRequest:
              received.spans > 0 && answered[i]! > 0 ? received.spans / answered[i]! : null,
          };
        }),
      );
      targets.forEach((target, i) => {
        const result = toResult(
          scenario.name,
          load.mode,
          target,
          started[i]!.url,
          accumulated[i]!,
          check.bodyBytes[target.id]!,
        );
        const sink = sinkReports[i];
        report.results.push(sink ? { ...result, otlpSink: sink } : result);
      });
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** `--scenario`: registered names (comma-separated), or `all`. */
function resolveScenarios(names: string): readonly Scenario[] {
  if (names === 'all') return SCENARIOS;
  const known = [...SCENARIOS.map((s) => s.name), 'all'].join(', ');
  return names.split(',').map((name) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name.trim());
    if (!scenario) throw new BenchUsageError(`--scenario ${name} is unknown (known: ${known})`);
    return scenario;
  });
}

/**
 * rps / rps of stock Apollo (c), and of a0 when it ran, in the same scenario and mode; for a-otel
 * also rps / rps of a (tracing's cost).
 */
function addRatios(results: TargetResult[]): void {
  const ratio = (result: TargetResult, id: string): number | null => {
    const other = results.find(
      (r) => r.scenario === result.scenario && r.mode === result.mode && r.target === id,
    );
    return other && other.rps > 0 ? result.rps / other.rps : null;
  };
  for (const result of results) {
    result.ratioVsApollo = ratio(result, BASELINE_TARGET_ID);
    result.ratioVsA0 = ratio(result, BASELINE_CHECKOUT_TARGET_ID);
    if (result.target === TRACED_TARGET_ID) result.ratioVsA = ratio(result, 'a');
  }
}

/**
 * Runs the selected scenarios and targets and returns the report. Throws when a target cannot
 * start, or when the gateways' responses differ (ResponseMismatchError, with a diff summary).
 */
export async function runBench(options: BenchOptions, deps: RunBenchDeps): Promise<BenchReport> {
  const scenarios = resolveScenarios(options.scenario);
  const baseline = options.baselineDir ? baselineCheckout(options.baselineDir) : undefined;
  const targets = selectTargets(options.only, baseline);
  if (baseline) {
    deps.log(
      `baseline checkout ${baseline.dir} @ ${baseline.commit ?? 'unknown commit'}: ` +
        (targets.some((t) => t.id === BASELINE_CHECKOUT_TARGET_ID)
          ? `target ${BASELINE_CHECKOUT_TARGET_ID}`
          : `not measured (--only leaves ${BASELINE_CHECKOUT_TARGET_ID} out)`),
    );
  }
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: machineInfo(),
    settings: {
      scenarios: scenarios.map((scenario) => scenario.name),
      targets: targets.map((target) => target.id),
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      roundSeconds: options.roundSeconds,
      rounds: options.rounds,
      smoke: options.smoke,
      storefrontWorkload: options.storefrontWorkload,
      workloadSeed: options.workloadSeed,
      ...(baseline ? { baseline: { dir: baseline.dir, commit: baseline.commit ?? null } } : {}),
    },
    skipped: [],
    checks: [],
    results: [],
  };
  // One key pair, METRICS_TOKEN and channel secret per run, shared by its scenarios.
  const secrets = createBenchSecrets();
  for (const scenario of scenarios) {
    await runScenario(options, deps, scenario, report, secrets, baseline);
  }
  addRatios(report.results);
  report.finishedAt = new Date().toISOString();
  return report;
}
