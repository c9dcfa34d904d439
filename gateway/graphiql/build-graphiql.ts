import { build } from 'vite';
import { graphiqlViteConfig } from './vite-config.ts';

/** Builds GraphiQL into GRAPHIQL_BUNDLE_DIR (gateway/graphiql/vite-config.ts). */
export async function buildGraphiql(): Promise<void> {
  await build(graphiqlViteConfig);
}
