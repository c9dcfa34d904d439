import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';
import { GRAPHIQL_BUNDLE_DIR } from './graphiql-bundle.ts';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * GraphiQL's Vite build: the page in gateway/graphiql/app/ (graphiql, React and Monaco from
 * npm), built into GRAPHIQL_BUNDLE_DIR for the gateway to serve under /graphiql/. Monaco's web
 * workers are separate files of the bundle (`graphiql/setup-workers/vite`, ES module workers);
 * no inline script, no source maps, nothing loaded from another origin at run time.
 */
export const graphiqlViteConfig: InlineConfig = {
  configFile: false,
  root: at('./app/'),
  base: '/graphiql/',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: GRAPHIQL_BUNDLE_DIR,
    emptyOutDir: true,
    // Nothing of ours inlined as data: URLs; the polyfill would be an inline script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    // Monaco is large by nature: it loads after the page, in its own chunks.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // React libraries' "use client" / "use no memo" directives mean nothing in a bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
};
