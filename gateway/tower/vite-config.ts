import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';
import { graphqlOperationsPlugin } from './graphql-operations.plugin.ts';
import { TOWER_BUNDLE_DIR } from './tower-bundle.ts';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The control tower's Vite build: the page in gateway/tower/app/, Preact through the automatic
 * JSX runtime, built into TOWER_BUNDLE_DIR for the gateway to serve under /tower/. No inline
 * script or style (the route's Content-Security-Policy allows neither), no source maps.
 */
export const towerViteConfig: InlineConfig = {
  configFile: false,
  root: at('./app/'),
  base: '/tower/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [
    graphqlOperationsPlugin({
      trustedDirectory: at('../../contracts/trusted-documents/'),
      manifestFile: at('../../contracts/trusted-documents/manifest.json'),
    }),
  ],
  build: {
    outDir: TOWER_BUNDLE_DIR,
    emptyOutDir: true,
    // Nothing inlined as data: URLs; the polyfill would be an inline script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
};
