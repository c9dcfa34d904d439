import { fileURLToPath } from 'node:url';
import { bundleState, buildIfStale, type PageBundle } from '../static-bundle/bundle-build.ts';

/** Where `npm run build:tower` writes the control tower (gitignored) and the gateway serves it. */
export const TOWER_BUNDLE_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

/** The command that builds it, for messages. */
export const BUILD_TOWER_COMMAND = 'npm run build:tower';

/**
 * The control tower as a page bundle: built from the page, its build files and the trusted
 * documents' manifest, by Vite (a development dependency, imported only when building).
 */
export const TOWER_BUNDLE: PageBundle = {
  name: 'control tower',
  dir: TOWER_BUNDLE_DIR,
  command: BUILD_TOWER_COMMAND,
  sources: [
    fileURLToPath(new URL('./app/', import.meta.url)),
    fileURLToPath(new URL('./vite-config.ts', import.meta.url)),
    fileURLToPath(new URL('./graphql-operations.plugin.ts', import.meta.url)),
    fileURLToPath(new URL('../../contracts/trusted-documents/manifest.json', import.meta.url)),
  ],
  async build() {
    const { buildTower } = await import('./build-tower.ts');
    await buildTower();
  },
};

/** Whether the bundle is missing (`missing`), older than its sources (`stale`), or neither. */
export function towerBundleState(dir: string = TOWER_BUNDLE_DIR): 'missing' | 'stale' | 'built' {
  return bundleState({ dir, sources: TOWER_BUNDLE.sources });
}

/**
 * Development start (gateway/index.ts) and the browser tests: builds the control tower when
 * its bundle is missing or older than its sources (gateway/static-bundle/bundle-build.ts).
 */
export function buildTowerIfStale(log: (line: string) => void): Promise<void> {
  return buildIfStale(TOWER_BUNDLE, log);
}
