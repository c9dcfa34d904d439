import { build } from 'vite';
import { bundleSizes as sizesOf, type BundleFile } from '../static-bundle/bundle-build.ts';
import { TOWER_BUNDLE_DIR } from './tower-bundle.ts';
import { towerViteConfig } from './vite-config.ts';

export type { BundleFile } from '../static-bundle/bundle-build.ts';

/** Builds the control tower into TOWER_BUNDLE_DIR (gateway/tower/vite-config.ts). */
export async function buildTower(): Promise<void> {
  await build(towerViteConfig);
}

/** Every file of the built bundle with its size, raw and gzip (level 9, as served). */
export function bundleSizes(dir: string = TOWER_BUNDLE_DIR): BundleFile[] {
  return sizesOf(dir);
}
