import { fileURLToPath } from 'node:url';
import { bundleState, buildIfStale, type PageBundle } from '../static-bundle/bundle-build.ts';

/** Where `npm run build:graphiql` writes GraphiQL (gitignored) and the gateway serves it. */
export const GRAPHIQL_BUNDLE_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

/** The command that builds it, for messages. */
export const BUILD_GRAPHIQL_COMMAND = 'npm run build:graphiql';

/**
 * GraphiQL as a page bundle: built from the page (which shares the control tower's token
 * session) and its Vite config, by Vite (a development dependency, imported only when building).
 */
export const GRAPHIQL_BUNDLE: PageBundle = {
  name: 'GraphiQL page',
  dir: GRAPHIQL_BUNDLE_DIR,
  command: BUILD_GRAPHIQL_COMMAND,
  sources: [
    fileURLToPath(new URL('./app/', import.meta.url)),
    fileURLToPath(new URL('./vite-config.ts', import.meta.url)),
    fileURLToPath(new URL('../tower/app/api/session.ts', import.meta.url)),
  ],
  async build() {
    const { buildGraphiql } = await import('./build-graphiql.ts');
    await buildGraphiql();
  },
};

/** Whether the bundle is missing (`missing`), older than its sources (`stale`), or neither. */
export function graphiqlBundleState(): 'missing' | 'stale' | 'built' {
  return bundleState(GRAPHIQL_BUNDLE);
}

/** Builds GraphiQL when its bundle is missing or stale (gateway/static-bundle/bundle-build.ts). */
export function buildGraphiqlIfStale(log: (line: string) => void): Promise<void> {
  return buildIfStale(GRAPHIQL_BUNDLE, log);
}
