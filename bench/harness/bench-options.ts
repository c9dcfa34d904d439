import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type BenchOptions = {
  /** A scenario name, or `all` (every registered scenario, in order). */
  scenario: string;
  /** Target ids or id prefixes (`--only`); undefined = all. */
  only: string[] | undefined;
  connections: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  smoke: boolean;
  /** Install bench/node_modules when missing or stale (off with --no-install). */
  install: boolean;
  /** Where the JSON results go. */
  outDir: string;
  /**
   * Another checkout of this repository (`--baseline DIR` or BENCH_BASELINE_DIR), absolute:
   * adds target a0, that checkout's gateway started like target a. Undefined = no a0.
   */
  baselineDir: string | undefined;
  /** `--storefront-workload`: scenario (ii)'s pages, skewed (default) or the one fixed page. */
  storefrontWorkload: 'fixed' | 'skewed';
  /** `--workload-seed`: the seed of the skewed pages (default 1). */
  workloadSeed: number;
};

export const USAGE = `usage: npm run bench -- [options]
  --scenario LIST|all         public (i), storefront (ii), partner (iii), comma-separated;
                               default all (with --smoke: public)
  --only a,b,c,d,d-router,e    targets: a ours (auth on), b ours (auth off), c stock @apollo/gateway,
                               d Hive Gateway (d = both runtimes, d-router = router runtime only),
                               e subgraph direct (floor, where one subgraph answers),
                               a0 ours from the --baseline checkout (with --baseline)
  --connections N              concurrent keep-alive connections (default 50)
  --warmup S                   warm-up seconds per target and mode, not measured (default 5)
  --duration S                 seconds per round (default 10)
  --rounds N                   rounds, the target order alternating between rounds (default 3)
  --smoke                      1 round x 2 s, 10 connections, no warm-up, scenario public unless
                               named: checks it runs and matches
  --no-install                 never install bench/node_modules (targets needing it are skipped)
  --out DIR                    results folder (default bench/results)
  --baseline DIR               adds target a0: our gateway from another checkout of this repository
                               (git worktree add DIR <commit>; npm ci in DIR), started like a;
                               the report shows a / a0 (also BENCH_BASELINE_DIR)
  --storefront-workload fixed|skewed
                               (ii)'s pages: skewed (default) draws each request's 20 SKUs and store
                               from the catalog by a seeded Zipf popularity; fixed sends the one
                               page of old (SKUs 1-20 in S001) every time
  --workload-seed N            seed of the skewed pages (default 1)`;

export class BenchUsageError extends Error {}

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new BenchUsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

/** `--baseline DIR`: absolute, and a checkout whose gateway can start (checked here, early). */
function baselineDir(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') throw new BenchUsageError('--baseline needs a directory');
  const dir = resolve(raw);
  const missing = [
    'gateway/index.ts',
    'policies/auth.yaml',
    'node_modules/tsx/package.json',
  ].filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    throw new BenchUsageError(
      `--baseline ${dir} is not a checkout of this repository with its dependencies installed ` +
        `(missing ${missing.join(', ')}): git worktree add ${dir} <commit> && (cd ${dir} && npm ci)`,
    );
  }
  return dir;
}

/**
 * Parses the flags of `npm run bench` (the scenario name is checked against the registry by
 * `runBench`, which is imported only once the bench peers are installed).
 */
export function parseBenchArgs(
  argv: readonly string[],
  defaultOutDir: string,
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        scenario: { type: 'string' },
        only: { type: 'string' },
        connections: { type: 'string' },
        warmup: { type: 'string' },
        duration: { type: 'string' },
        rounds: { type: 'string' },
        smoke: { type: 'boolean' },
        'no-install': { type: 'boolean' },
        out: { type: 'string' },
        baseline: { type: 'string' },
        'storefront-workload': { type: 'string' },
        'workload-seed': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help) throw new BenchUsageError('');
  const smoke = values.smoke ?? false;
  const storefrontWorkload = values['storefront-workload'] ?? 'skewed';
  if (storefrontWorkload !== 'fixed' && storefrontWorkload !== 'skewed') {
    throw new BenchUsageError(
      `--storefront-workload must be fixed or skewed, got "${storefrontWorkload}"`,
    );
  }
  return {
    // The smoke run stays seconds-long: scenario (i) only unless named (storefront and partner
    // each start five more processes).
    scenario: values.scenario ?? (smoke ? 'public' : 'all'),
    only: values.only
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    connections: positiveInt('connections', values.connections, smoke ? 10 : 50),
    warmupSeconds: positiveInt('warmup', values.warmup, smoke ? 0 : 5, 0),
    roundSeconds: positiveInt('duration', values.duration, smoke ? 2 : 10),
    rounds: positiveInt('rounds', values.rounds, smoke ? 1 : 3),
    smoke,
    install: !values['no-install'],
    outDir: values.out ?? defaultOutDir,
    baselineDir: baselineDir(values.baseline ?? (env.BENCH_BASELINE_DIR || undefined)),
    storefrontWorkload,
    workloadSeed: positiveInt('workload-seed', values['workload-seed'], 1, 0),
  };
}
