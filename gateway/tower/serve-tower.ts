import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUILD_TOWER_COMMAND } from './tower-bundle.ts';

/** The path the page is served under (the build's `base`, gateway/tower/vite-config.ts). */
export const TOWER_PATH = '/tower';

export type TowerRouteOptions = {
  /** The built bundle: TOWER_BUNDLE_DIR (gateway/tower/tower-bundle.ts) in the gateway. */
  dir: string;
};

/** Serves one request under /tower (http-handler.ts routes `/tower` and `/tower/...` here). */
export type TowerRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);
/** A path segment we serve: no dot files, no `..`, no separators or escapes of any kind. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** A host header fit to name in the policy (else only 'self'). */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The page may load its own scripts, styles and images only (no inline script or style, no
 * eval), talk to its own origin over fetch and WebSocket (graphql-ws), and be framed by nobody.
 */
export function towerContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/** `/tower/`, `/tower/assets/x.js` → the file under the bundle ('' → index.html); else undefined. */
function fileOf(pathname: string): string | undefined {
  const rest = pathname.slice(TOWER_PATH.length + 1);
  if (rest === '' || rest === 'index.html') return 'index.html';
  let segments: string[];
  try {
    segments = rest.split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  return segments.every((segment) => SEGMENT.test(segment)) ? segments.join('/') : undefined;
}

type Loaded = { body: Buffer; gzip: Buffer | undefined; etag: string; mtimeMs: number };

/**
 * The control tower's static files (gateway/tower/dist, built by `npm run build:tower`): GET and
 * HEAD only; content types by extension; a strict Content-Security-Policy; hashed files under
 * assets/ cached for a year (immutable), index.html revalidated (ETag); gzip when accepted;
 * 404 for anything that is not a file of the bundle (no dot files, no path outside it); 503
 * naming the build command while the bundle is missing. Files are read on first use and again
 * when they change (a rebuild needs no restart).
 */
export function createTowerRoute(options: TowerRouteOptions): TowerRoute {
  const cache = new Map<string, Loaded>();
  let root: string | undefined;

  async function load(relative: string): Promise<Loaded | undefined> {
    try {
      root ??= await realpath(options.dir);
      const path = await realpath(join(root, relative));
      if (!path.startsWith(root + sep)) return undefined;
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      const cached = cache.get(relative);
      if (cached && cached.mtimeMs === info.mtimeMs) return cached;
      const body = await readFile(path);
      const loaded: Loaded = {
        body,
        gzip: COMPRESSIBLE.has(extname(path)) ? gzipSync(body, { level: 9 }) : undefined,
        etag: `W/"${body.length.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        mtimeMs: info.mtimeMs,
      };
      cache.set(relative, loaded);
      return loaded;
    } catch {
      root = undefined; // not built yet, or gone: look again next time
      return undefined;
    }
  }

  return async function serveTower(req, res, url) {
    const headers: Record<string, string> = {
      'content-security-policy': towerContentSecurityPolicy(req.headers.host),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    const text = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...headers,
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return text(405, `Method ${req.method} is not allowed on ${TOWER_PATH}\n`, {
        allow: 'GET, HEAD',
      });
    }
    if (url.pathname === TOWER_PATH) {
      return text(308, `${TOWER_PATH}/\n`, { location: `${TOWER_PATH}/${url.search}` });
    }
    const relative = fileOf(url.pathname);
    const file = relative === undefined ? undefined : await load(relative);
    if (!file) {
      if (relative === 'index.html') {
        return text(503, `The control tower is not built: run \`${BUILD_TOWER_COMMAND}\`\n`);
      }
      return text(404, 'Not found\n');
    }
    const extension = extname(relative!);
    headers['content-type'] = CONTENT_TYPES[extension] ?? 'application/octet-stream';
    headers['cache-control'] = relative!.startsWith('assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    headers.etag = file.etag;
    if (file.gzip) headers.vary = 'accept-encoding';
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip! : file.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
