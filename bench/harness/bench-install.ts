import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type PackageJson = {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

const readJson = (file: string): PackageJson =>
  JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

/** Packages pinned in bench/package.json whose installed version is missing or different. */
export function staleBenchPackages(benchRoot: string): string[] {
  const pinned = readJson(join(benchRoot, 'package.json')).dependencies ?? {};
  return Object.entries(pinned)
    .filter(([name, version]) => {
      const installed = join(benchRoot, 'node_modules', name, 'package.json');
      return (
        !existsSync(installed) || (readJson(installed) as { version?: string }).version !== version
      );
    })
    .map(([name]) => name);
}

/**
 * Installs bench/node_modules from bench/package-lock.json (`npm ci --prefix bench`) when a pinned
 * peer is missing or at another version. The root `npm ci` (and CI) never installs these.
 */
export function ensureBenchInstalled(benchRoot: string, log: (message: string) => void): void {
  const stale = staleBenchPackages(benchRoot);
  if (stale.length === 0) return;
  log(`installing bench peers (${stale.join(', ')}): npm ci --prefix bench ...`);
  execFileSync('npm', ['ci', '--prefix', benchRoot, '--no-audit', '--no-fund'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * Packages pinned both in the root package.json and in bench/package.json at different versions.
 * The bench's own copies (stock @apollo/gateway, the bench subgraphs' graphql) must equal ours, or
 * "ours vs stock" would compare library versions too.
 */
export function peerVersionMismatches(repoRoot: string, benchRoot: string): string[] {
  const root = readJson(join(repoRoot, 'package.json'));
  const rootPins = { ...root.dependencies, ...root.devDependencies };
  const benchPins = readJson(join(benchRoot, 'package.json')).dependencies ?? {};
  return Object.entries(benchPins)
    .filter(([name, version]) => rootPins[name] !== undefined && rootPins[name] !== version)
    .map(([name, version]) => `${name}: root ${rootPins[name]}, bench ${version}`);
}
