import {
  createBundleRoute,
  pageContentSecurityPolicy,
  type BundleRoute,
} from '../static-bundle/serve-bundle.ts';
import { BUILD_TOWER_COMMAND } from './tower-bundle.ts';

/** The path the page is served under (the build's `base`, gateway/tower/vite-config.ts). */
export const TOWER_PATH = '/tower';

export type TowerRouteOptions = {
  /** The built bundle: TOWER_BUNDLE_DIR (gateway/tower/tower-bundle.ts) in the gateway. */
  dir: string;
};

/** Serves one request under /tower (http-handler.ts routes `/tower` and `/tower/...` here). */
export type TowerRoute = BundleRoute;

/**
 * The page may load its own scripts, styles and images only (no inline script or style, no
 * eval), talk to its own origin over fetch and WebSocket (graphql-ws), and be framed by nobody.
 */
export function towerContentSecurityPolicy(host: string | undefined): string {
  return pageContentSecurityPolicy(host);
}

/**
 * The control tower's static files (gateway/tower/dist, built by `npm run build:tower`), served
 * by the shared static-bundle route (gateway/static-bundle/serve-bundle.ts).
 */
export function createTowerRoute(options: TowerRouteOptions): TowerRoute {
  return createBundleRoute({
    path: TOWER_PATH,
    dir: options.dir,
    name: 'The control tower',
    buildCommand: BUILD_TOWER_COMMAND,
    contentSecurityPolicy: towerContentSecurityPolicy,
  });
}
