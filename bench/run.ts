import { join, resolve } from 'node:path';
import { ensureBenchInstalled, peerVersionMismatches } from './harness/bench-install.ts';
import { BenchUsageError, parseBenchArgs, USAGE } from './harness/bench-options.ts';

/**
 * `npm run bench -- [--scenario public|all] [--only a,c] [--connections 50] [--warmup 5]
 * [--duration 10] [--rounds 3] [--smoke] [--no-install] [--out DIR] [--baseline DIR]
 * [--storefront-workload fixed|skewed] [--workload-seed N]`
 * (bench/README.md).
 * Installs the peers into bench/node_modules on first use, then loads the harness.
 */
const benchRoot = import.meta.dirname;
const repoRoot = resolve(benchRoot, '..');
const t0 = performance.now();
const log = (message: string): void =>
  console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);

process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

try {
  const options = parseBenchArgs(process.argv.slice(2), join(benchRoot, 'results'));
  const mismatches = peerVersionMismatches(repoRoot, benchRoot);
  if (mismatches.length > 0) {
    throw new Error(
      `bench/package.json must pin the same versions as the root package.json:\n  ${mismatches.join('\n  ')}`,
    );
  }
  if (options.install) ensureBenchInstalled(benchRoot, log);
  // Loaded after the install: the harness resolves the peers it starts from bench/node_modules.
  const { runBench } = await import('./harness/run-bench.ts');
  const {
    formatBaselineSummary,
    formatCacheTable,
    formatPerRequestTable,
    formatTable,
    formatTracingSummary,
  } = await import('./harness/bench-report.ts');
  const { writeReport } = await import('./harness/write-report.ts');
  const report = await runBench(options, { repoRoot, benchRoot, log });
  const { machine, settings } = report;
  console.log(
    `\n${machine.nproc} x ${machine.cpuModel}, Node ${machine.node}; ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up, ${settings.rounds} x ${settings.roundSeconds} s rounds\n`,
  );
  console.log(formatTable(report.results));
  const perRequest = formatPerRequestTable(report.results);
  if (perRequest) {
    console.log(
      '\nPer request sent (rounds, until the ERP went quiet after each): CPU ms per process, ' +
        'cache hit % = served from the cache, fresh or stale, of all reads; emulated ERP calls ' +
        'by service; "first, last round" = ERP calls/req of the first and last round\n',
    );
    console.log(perRequest);
  }
  const cacheTable = formatCacheTable(report.results);
  if (cacheTable) {
    console.log(
      '\nCache reads per subgraph/port (same window): hit % = served from the cache, fresh or ' +
        'stale, of all reads; stale % = served stale (re-read in the background) of all reads; ' +
        'ERP failed = misses the ERP failed, served the last known value (staleIfError) or not ' +
        '(error)\n',
    );
    console.log(cacheTable);
  }
  for (const [name, notes] of Object.entries(report.scenarioNotes ?? {})) {
    console.log(`\n${name}: ${JSON.stringify(notes)}`);
  }
  const baselineSummary = formatBaselineSummary(report.results, settings.baseline?.commit);
  if (baselineSummary) console.log(`\n${baselineSummary}\n`);
  const tracingSummary = formatTracingSummary(report.results);
  if (tracingSummary) console.log(`\n${tracingSummary}\n`);
  for (const r of report.results.filter((result) => result.graphqlErrors > 0)) {
    console.log(
      `${r.graphqlErrors} responses with GraphQL errors in ${r.scenario} ${r.mode} ${r.target}: ` +
        r.errorSamples.join(' | '),
    );
  }
  for (const skipped of report.skipped) {
    console.log(`skipped ${skipped.target} in ${skipped.scenario}: ${skipped.reason}`);
  }
  log(`results: ${writeReport(report, options.outDir)}`);
  process.exit(0);
} catch (error) {
  if (error instanceof BenchUsageError) {
    console.error(`${error.message ? `bench: ${error.message}\n` : ''}${USAGE}`);
    process.exit(2);
  }
  console.error(`[bench] failed: ${(error as Error).message}`);
  process.exit(1);
}
