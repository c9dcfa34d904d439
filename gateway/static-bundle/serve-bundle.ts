import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Serves one request under a page's path (http-handler.ts routes the path and below here). */
export type BundleRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export type BundleRouteOptions = {
  /** The path the page is served under, without a trailing slash (the build's `base`): `/tower`. */
  path: string;
  /** The built bundle (a Vite build's outDir). */
  dir: string;
  /** What the 503 names while the bundle is missing: `The control tower`. */
  name: string;
  /** The command that builds the bundle, for that 503: `npm run build:tower`. */
  buildCommand: string;
  /** The Content-Security-Policy of every answer, from the request's Host header. */
  contentSecurityPolicy(host: string | undefined): string;
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.ttf']);
/** A path segment we serve: no dot files, no `..`, no separators or escapes of any kind. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** A host header fit to name in the policy (else only 'self'). */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export type PolicyDirectives = Record<string, string>;

/**
 * The policy of a bundled page: its own scripts, styles, images and fonts only (no inline
 * script or style, no eval), fetch and WebSocket (graphql-ws) to its own origin, framed by
 * nobody. `overrides` replaces or adds directives (a value of '' drops one).
 */
export function pageContentSecurityPolicy(
  host: string | undefined,
  overrides: PolicyDirectives = {},
): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  const directives: PolicyDirectives = {
    'default-src': "'none'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self'",
    'font-src': "'self'",
    'connect-src': `'self'${sockets}`,
    'base-uri': "'none'",
    'form-action': "'none'",
    'frame-ancestors': "'none'",
    'require-trusted-types-for': "'script'",
    ...overrides,
  };
  return Object.entries(directives)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** Whether `pathname` is the page's path or below it. */
export function isUnder(path: string, pathname: string): boolean {
  return pathname === path || pathname.startsWith(`${path}/`);
}

type Loaded = { body: Buffer; gzip: Buffer | undefined; etag: string; mtimeMs: number };

/**
 * A bundled page's static files (a Vite build): GET and HEAD only; content types by extension;
 * the page's Content-Security-Policy; hashed files under assets/ cached for a year (immutable),
 * index.html revalidated (ETag); gzip when accepted; 404 for anything that is not a file of the
 * bundle (no dot files, no path outside it); 503 naming the build command while the bundle is
 * missing; `<path>` redirects to `<path>/`. Files are read on first use and again when they
 * change (a rebuild needs no restart).
 */
export function createBundleRoute(options: BundleRouteOptions): BundleRoute {
  const cache = new Map<string, Loaded>();
  let root: string | undefined;

  /** `<path>/`, `<path>/assets/x.js` → the file under the bundle ('' → index.html); else undefined. */
  function fileOf(pathname: string): string | undefined {
    const rest = pathname.slice(options.path.length + 1);
    if (rest === '' || rest === 'index.html') return 'index.html';
    let segments: string[];
    try {
      segments = rest.split('/').map(decodeURIComponent);
    } catch {
      return undefined;
    }
    return segments.every((segment) => SEGMENT.test(segment)) ? segments.join('/') : undefined;
  }

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

  return async function serveBundle(req, res, url) {
    const headers: Record<string, string> = {
      'content-security-policy': options.contentSecurityPolicy(req.headers.host),
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
      return text(405, `Method ${req.method} is not allowed on ${options.path}\n`, {
        allow: 'GET, HEAD',
      });
    }
    if (url.pathname === options.path) {
      return text(308, `${options.path}/\n`, { location: `${options.path}/${url.search}` });
    }
    const relative = fileOf(url.pathname);
    const file = relative === undefined ? undefined : await load(relative);
    if (!file) {
      if (relative === 'index.html') {
        return text(503, `${options.name} is not built: run \`${options.buildCommand}\`\n`);
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
