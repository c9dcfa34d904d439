import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A page the gateway serves from a Vite build (gateway/tower/, gateway/graphiql/). */
export type PageBundle = {
  /** For messages: `control tower`, `GraphiQL`. */
  name: string;
  /** Where the build writes it (gitignored) and the gateway serves it from. */
  dir: string;
  /** The command that builds it, for messages: `npm run build:tower`. */
  command: string;
  /** What it is built from (files or folders): newer than the bundle means stale. */
  sources: readonly string[];
  /** Builds it (imports Vite, a development dependency, only when called). */
  build(): Promise<void>;
};

export type BundleFile = { file: string; bytes: number; gzipBytes: number };

function newestChange(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Whether the bundle is missing (`missing`), older than its sources (`stale`), or neither. */
export function bundleState(
  bundle: Pick<PageBundle, 'dir' | 'sources'>,
): 'missing' | 'stale' | 'built' {
  const index = join(bundle.dir, 'index.html');
  if (!existsSync(index)) return 'missing';
  // The sources are absent where only the bundle was deployed: then it is what it is.
  const sources = Math.max(...bundle.sources.map(newestChange));
  return sources > statSync(index).mtimeMs ? 'stale' : 'built';
}

/**
 * Development start (gateway/index.ts) and the browser tests: builds the page when its bundle
 * is missing (`npm ci` builds it in `prepare`; this covers `--ignore-scripts` and a deleted
 * folder) or older than its sources (an edited page). Never throws: a failed build is logged
 * with the command to run, and the page answers 503 saying the same while there is no bundle.
 */
export async function buildIfStale(bundle: PageBundle, log: (line: string) => void): Promise<void> {
  const state = bundleState(bundle);
  if (state === 'built') return;
  log(`[gateway] building the ${bundle.name} (${bundle.dir} is ${state})...`);
  try {
    await bundle.build();
    log(`[gateway] ${bundle.name} built`);
  } catch (error) {
    log(
      `[gateway] cannot build the ${bundle.name}: ${(error as Error).message}; run \`${bundle.command}\``,
    );
  }
}

/** Every file of a built bundle with its size, raw and gzip (level 9, as served). */
export function bundleSizes(dir: string): BundleFile[] {
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

/**
 * The build commands (`npm run build:tower`, `npm run build:graphiql`; both run by the root
 * `prepare` script, so `npm ci` runs them): builds the page and prints what it weighs.
 */
export async function buildAndReport(bundle: PageBundle): Promise<void> {
  const started = Date.now();
  await bundle.build();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const files = bundleSizes(bundle.dir);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(10);
  for (const file of files) {
    console.log(`  ${file.file.padEnd(40)} ${kib(file.bytes)} ${kib(file.gzipBytes)} gzip`);
  }
  const raw = files.reduce((sum, file) => sum + file.bytes, 0);
  const gzip = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  console.log(
    `${bundle.name} built in ${seconds} s into ${relative(process.cwd(), bundle.dir)}: ${kib(raw).trim()} (${kib(gzip).trim()} gzip)`,
  );
}
