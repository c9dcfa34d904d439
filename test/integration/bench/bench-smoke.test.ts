import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseBenchArgs } from '../../../bench/harness/bench-options.ts';
import { formatTable } from '../../../bench/harness/bench-report.ts';
import { runBench } from '../../../bench/harness/run-bench.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

// The smoke version of `npm run bench` (CI): scenario (i) with our gateway (auth on) and stock
// @apollo/gateway only, both from the root node_modules, so CI never installs the bench peers.
test(
  'bench smoke: public scenario runs, and our gateway and stock Apollo answer identically',
  {
    timeout: 120_000,
  },
  async (t) => {
    const options = parseBenchArgs(
      ['--smoke', '--scenario', 'public', '--only', 'a,c', '--no-install'],
      join(repoRoot, 'bench/results'),
    );
    const report = await runBench(options, {
      repoRoot,
      benchRoot: join(repoRoot, 'bench'),
      log: (message) => t.diagnostic(message),
    });
    for (const skipped of report.skipped) {
      t.diagnostic(`skipped ${skipped.target}: ${skipped.reason}`);
    }
    for (const line of formatTable(report.results).split('\n')) t.diagnostic(line);

    assert.deepEqual(
      report.checks.map((check) => [check.scenario, check.mode, check.targets, check.bytes]),
      [
        ['public', 'as-sent', ['a', 'c'], 87_599],
        ['public', 'dedup-defeated', ['a', 'c'], 87_599],
      ],
    );
    assert.deepEqual(
      report.results.map((result) => [result.mode, result.target]),
      [
        ['as-sent', 'a'],
        ['as-sent', 'c'],
        ['dedup-defeated', 'a'],
        ['dedup-defeated', 'c'],
      ],
    );
    for (const result of report.results) {
      assert.ok(result.okResponses > 0, `${result.mode} ${result.target} answered nothing`);
      assert.equal(result.failures, 0, `${result.mode} ${result.target} had failures`);
    }
  },
);

// Scenarios (ii) and (iii) start the emulated ERP and our four subgraphs each (about a minute on
// a busy 2-core box), so they run only when asked: BENCH_SMOKE_OURS=1.
test(
  'bench smoke: storefront and partner scenarios run, and every target answers identically',
  {
    timeout: 240_000,
    skip:
      process.env.BENCH_SMOKE_OURS === '1'
        ? false
        : 'set BENCH_SMOKE_OURS=1 to run the storefront and partner scenarios (about a minute)',
  },
  async (t) => {
    const options = parseBenchArgs(
      ['--smoke', '--scenario', 'storefront,partner', '--only', 'a,b,c,e', '--no-install'],
      join(repoRoot, 'bench/results'),
    );
    const report = await runBench(options, {
      repoRoot,
      benchRoot: join(repoRoot, 'bench'),
      log: (message) => t.diagnostic(message),
    });
    for (const line of formatTable(report.results).split('\n')) t.diagnostic(line);

    const reason =
      'with AUTH_DISABLED every request acts as one internal caller, so this scenario’s ' +
      'partner (confined to its vendor) is not there to compare';
    assert.deepEqual(report.skipped, [
      {
        scenario: 'storefront',
        target: 'e',
        reason: 'no single subgraph answers this scenario’s operation',
      },
      { scenario: 'partner', target: 'b', reason },
    ]);
    const partnerSteps = [
      'createPromotionDraft',
      'updatePromotionDraft',
      'submitPromotion',
      'promotion',
    ];
    assert.deepEqual(
      report.checks.map((check) => [check.scenario, check.mode, check.targets, check.steps]),
      [
        ['storefront', 'as-sent', ['a', 'b', 'c'], ['StorefrontListing']],
        ['storefront', 'dedup-defeated', ['a', 'b', 'c'], ['StorefrontListing']],
        ['partner', 'as-sent', ['a', 'c', 'e'], partnerSteps],
        ['partner', 'dedup-defeated', ['a', 'c', 'e'], partnerSteps],
      ],
    );
    for (const result of report.results) {
      assert.ok(
        result.okResponses > 0,
        `${result.scenario} ${result.mode} ${result.target} answered nothing`,
      );
      assert.equal(
        result.failures,
        0,
        `${result.scenario} ${result.mode} ${result.target} had failures`,
      );
    }
  },
);
