import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { TOWER_BUNDLE_DIR } from './tower-bundle.ts';
import { towerViteConfig } from './vite-config.ts';

export type BundleFile = { file: string; bytes: number; gzipBytes: number };

/** Builds the control tower into TOWER_BUNDLE_DIR (gateway/tower/vite-config.ts). */
export async function buildTower(): Promise<void> {
  await build(towerViteConfig);
}

/** Every file of the built bundle with its size, raw and gzip (level 9, as served). */
export function bundleSizes(dir: string = TOWER_BUNDLE_DIR): BundleFile[] {
  const files: BundleFile[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const body = readFileSync(path);
        files.push({
          file: relative(dir, path),
          bytes: body.length,
          gzipBytes: gzipSync(body, { level: 9 }).length,
        });
      }
    }
  };
  walk(dir);
  return files;
}
