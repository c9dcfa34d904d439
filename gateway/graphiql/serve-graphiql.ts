import type { IncomingMessage } from 'node:http';
import {
  createBundleRoute,
  pageContentSecurityPolicy,
  type BundleRoute,
} from '../static-bundle/serve-bundle.ts';
import { BUILD_GRAPHIQL_COMMAND } from './graphiql-bundle.ts';

/** The path the page is served under (the build's `base`, gateway/graphiql/vite-config.ts). */
export const GRAPHIQL_PATH = '/graphiql';

export type GraphiqlRouteOptions = {
  /** The built bundle: GRAPHIQL_BUNDLE_DIR (gateway/graphiql/graphiql-bundle.ts) in the gateway. */
  dir: string;
};

/**
 * The control tower's policy, plus what GraphiQL needs: Monaco's web workers (files of the
 * bundle), the fonts and icons graphiql's stylesheet carries as data: URLs, and inline styles
 * (Monaco writes its theme and decorations into <style> elements and style attributes at run
 * time: without 'unsafe-inline' the editor is unstyled). Trusted types are not required: Monaco
 * and GraphiQL's docs explorer assign HTML strings. Still no inline or foreign script, no eval,
 * no connection or load to another origin, no framing (the browser test runs it offline).
 */
export function graphiqlContentSecurityPolicy(host: string | undefined): string {
  return pageContentSecurityPolicy(host, {
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data:",
    'font-src': "'self' data:",
    'worker-src': "'self'",
    'require-trusted-types-for': '',
  });
}

/** GraphiQL's static files (gateway/graphiql/dist, built by `npm run build:graphiql`). */
export function createGraphiqlRoute(options: GraphiqlRouteOptions): BundleRoute {
  return createBundleRoute({
    path: GRAPHIQL_PATH,
    dir: options.dir,
    name: 'GraphiQL',
    buildCommand: BUILD_GRAPHIQL_COMMAND,
    contentSecurityPolicy: graphiqlContentSecurityPolicy,
  });
}

/** GraphQL request parameters of a GET: with any of them, a GET is an operation, not a visit. */
const OPERATION_PARAMS = ['query', 'extensions', 'documentId', 'operationName', 'variables'];

/**
 * A browser opening /graphql (GET, HTML accepted, no operation in the URL): the
 * gateway sends it to GraphiQL instead of answering a GraphQL error.
 */
export function isBrowserVisit(req: IncomingMessage, url: URL): boolean {
  if ((req.method ?? 'GET').toUpperCase() !== 'GET') return false;
  if (OPERATION_PARAMS.some((name) => url.searchParams.has(name))) return false;
  return /\btext\/html\b/i.test(String(req.headers.accept ?? ''));
}
