import { relative } from 'node:path';
import { bundleSizes, buildTower } from './build-tower.ts';
import { TOWER_BUNDLE_DIR } from './tower-bundle.ts';

// `npm run build:tower` (also the root `prepare` script, so `npm ci` runs it): builds the
// control tower and prints what the page weighs.
const started = Date.now();
await buildTower();
const files = bundleSizes();
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(10);
for (const file of files) {
  console.log(`  ${file.file.padEnd(32)} ${kib(file.bytes)} ${kib(file.gzipBytes)} gzip`);
}
const raw = files.reduce((sum, file) => sum + file.bytes, 0);
const gzip = files.reduce((sum, file) => sum + file.gzipBytes, 0);
console.log(
  `control tower built in ${((Date.now() - started) / 1000).toFixed(1)} s into ${relative(process.cwd(), TOWER_BUNDLE_DIR)}: ${kib(raw).trim()} (${kib(gzip).trim()} gzip)`,
);
