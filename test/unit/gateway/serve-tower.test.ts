import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { ApolloServer } from '@apollo/server';
import { createHttpHandler } from '../../../gateway/http-handler.ts';
import type { GatewayContext } from '../../../gateway/principal.ts';
import {
  createTowerRoute,
  towerContentSecurityPolicy,
} from '../../../gateway/tower/serve-tower.ts';

const INDEX =
  '<!doctype html><title>tower</title><script type="module" src="/tower/assets/index-AbC123_x.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

/** A raw request: the path is sent exactly as given (fetch would normalise it). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the control tower route (/tower on the gateway HTTP handler)', () => {
  let root: string;
  let dist: string;
  let server: Server;
  let port: number;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tower-'));
    dist = join(root, 'dist');
    await writeFile(join(root, 'secret.txt'), 'outside the bundle');
    server = createServer(
      createHttpHandler({
        apollo: undefined as unknown as ApolloServer<GatewayContext>,
        maxBodyBytes: 1024,
        context: async () => ({}),
        live: () => ({ status: 200, body: {} }),
        ready: async () => ({ status: 200, body: {} }),
        metrics: async () => ({ contentType: 'text/plain', body: '' }),
        tower: createTowerRoute({ dir: dist }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  test('before the bundle is built, the page answers 503 naming the command', async () => {
    const res = await get(port, '/tower/');
    assert.equal(res.status, 503);
    assert.equal(
      res.body.toString(),
      'The control tower is not built: run `npm run build:tower`\n',
    );
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('once built (no restart), index.html with a strict policy, revalidated', async () => {
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), INDEX);
    await writeFile(join(dist, 'assets', 'index-AbC123_x.js'), SCRIPT);
    await writeFile(join(dist, '.hidden'), 'dot file');
    await symlink(join(root, 'secret.txt'), join(dist, 'linked.txt'));

    const res = await get(port, '/tower/');
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), INDEX);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(
      res.headers['content-security-policy'],
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self' ws://127.0.0.1:${port} wss://127.0.0.1:${port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'`,
    );
    const again = await get(port, '/tower/index.html', {
      'if-none-match': String(res.headers.etag),
    });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  test('/tower redirects to /tower/, keeping the query', async () => {
    const res = await get(port, '/tower?x=1');
    assert.equal(res.status, 308);
    assert.equal(res.headers.location, '/tower/?x=1');
  });

  test('hashed assets: their content type, cached for a year, gzip when accepted', async () => {
    const plain = await get(port, '/tower/assets/index-AbC123_x.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), SCRIPT);
    const zipped = await get(port, '/tower/assets/index-AbC123_x.js', {
      'accept-encoding': 'gzip, deflate, br',
    });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'accept-encoding');
    assert.ok(zipped.body.length < SCRIPT.length / 10);
    assert.equal(gunzipSync(zipped.body).toString(), SCRIPT);
  });

  test('HEAD answers the headers only; other methods 405', async () => {
    const head = await get(port, '/tower/', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(INDEX.length));
    assert.equal(head.body.length, 0);
    const post = await get(port, '/tower/', {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  test('anything but a file of the bundle is 404: unknown, dot files, traversal, links out', async () => {
    for (const path of [
      '/tower/nope.js',
      '/tower/assets/',
      '/tower/assets',
      '/tower/.hidden',
      '/tower/linked.txt',
      '/tower/..%2fsecret.txt',
      '/tower/assets/..%2f..%2fsecret.txt',
      '/tower/assets%2f..%2f..%2fsecret.txt',
      '/tower/index.html%00.js',
      '/tower/%E0%A4%A',
    ]) {
      const res = await get(port, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.toString(), 'Not found\n', path);
    }
    // Dot segments (also encoded, also with backslashes) are resolved by the URL parser before
    // routing: the path leaves /tower, and the gateway has nothing there.
    for (const path of [
      '/tower/../secret.txt',
      '/tower/%2e%2e/secret.txt',
      '/tower/assets\\..\\..\\secret.txt',
    ]) {
      const res = await get(port, path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(JSON.parse(res.body.toString()), { error: 'not found' }, path);
    }
  });

  test('the policy names the WebSocket origin only for a well-formed Host', () => {
    assert.match(
      towerContentSecurityPolicy('gw.example.com:443'),
      /connect-src 'self' ws:\/\/gw\.example\.com:443 wss:\/\/gw\.example\.com:443;/,
    );
    assert.match(
      towerContentSecurityPolicy('[::1]:4000'),
      /connect-src 'self' ws:\/\/\[::1\]:4000 wss:\/\/\[::1\]:4000;/,
    );
    assert.match(towerContentSecurityPolicy('evil; script-src *'), /connect-src 'self';/);
    assert.match(towerContentSecurityPolicy(undefined), /connect-src 'self';/);
  });
});
