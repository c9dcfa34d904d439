import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:tower` writes the control tower (gitignored) and the gateway serves it. */
export const TOWER_BUNDLE_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

/** The command that builds it, for messages. */
export const BUILD_TOWER_COMMAND = 'npm run build:tower';

/** What the bundle is built from: the page, its build files, the trusted documents' manifest. */
const SOURCES = [
  fileURLToPath(new URL('./app/', import.meta.url)),
  fileURLToPath(new URL('./vite-config.ts', import.meta.url)),
  fileURLToPath(new URL('./graphql-operations.plugin.ts', import.meta.url)),
  fileURLToPath(new URL('../../contracts/trusted-documents/manifest.json', import.meta.url)),
];

function newestChange(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Whether the bundle is missing (`missing`), older than its sources (`stale`), or neither. */
export function towerBundleState(dir: string = TOWER_BUNDLE_DIR): 'missing' | 'stale' | 'built' {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return 'missing';
  // The sources are absent where only the bundle was deployed: then it is what it is.
  const sources = Math.max(...SOURCES.map(newestChange));
  return sources > statSync(index).mtimeMs ? 'stale' : 'built';
}

/**
 * Development start (gateway/index.ts) and the browser tests: builds the control tower when
 * its bundle is missing (`npm ci` builds it in `prepare`; this covers `--ignore-scripts` and a
 * deleted folder) or older than its sources (an edited page). Vite is a development dependency,
 * so it is imported only here and only then. Never throws: a failed build is logged with the
 * command to run, and /tower answers 503 saying the same while there is no bundle.
 */
export async function buildTowerIfStale(log: (line: string) => void): Promise<void> {
  const state = towerBundleState();
  if (state === 'built') return;
  log(`[gateway] building the control tower (${TOWER_BUNDLE_DIR} is ${state})...`);
  try {
    const { buildTower } = await import('./build-tower.ts');
    await buildTower();
    log('[gateway] control tower built');
  } catch (error) {
    log(
      `[gateway] cannot build the control tower: ${(error as Error).message}; run \`${BUILD_TOWER_COMMAND}\``,
    );
  }
}
