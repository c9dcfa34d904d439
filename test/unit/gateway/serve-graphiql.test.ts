import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assembleGateway, type AssembledGateway } from '../../../gateway/assemble.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import {
  buildGraphiqlIfStale,
  GRAPHIQL_BUNDLE_DIR,
} from '../../../gateway/graphiql/graphiql-bundle.ts';
import { graphiqlContentSecurityPolicy } from '../../../gateway/graphiql/serve-graphiql.ts';
import type { RunningGateway } from '../../../gateway/server.ts';
import { testGatewayOverrides } from '../../helpers/stack.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  PRINCIPAL_SIGNING_SECRET: 'production-principal-secret-for-this-test-only',
  METRICS_TOKEN: 'metrics-token-for-this-test-0123456789',
};
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
/** Subgraphs nobody calls: these tests never execute an operation. */
const NOWHERE = Object.fromEntries(
  ['promotion', 'pricing', 'inventory', 'funding'].map((name) => [
    name,
    `http://127.0.0.1:9/${name}`,
  ]),
);

describe('GraphiQL: GRAPHIQL in the gateway config', () => {
  test('on in development, off in production unless GRAPHIQL=true', () => {
    assert.equal(readGatewayConfig({}).graphiql, true);
    assert.equal(readGatewayConfig({ GRAPHIQL: 'false' }).graphiql, false);
    assert.equal(readGatewayConfig(PRODUCTION).graphiql, false);
    assert.equal(readGatewayConfig({ ...PRODUCTION, GRAPHIQL: 'true' }).graphiql, true);
    assert.throws(() => readGatewayConfig({ GRAPHIQL: 'yes' }), {
      message: /^GRAPHIQL must be/,
    });
  });
});

async function start(env: NodeJS.ProcessEnv): Promise<[AssembledGateway, RunningGateway, string]> {
  const assembled = assembleGateway(readGatewayConfig(env), testGatewayOverrides(NOWHERE));
  const running = await assembled.server.listen(0);
  return [assembled, running, running.url.replace(/\/graphql$/, '')];
}

describe('GraphiQL on (development): /graphiql, and browsers opening /graphql go there', () => {
  let assembled: AssembledGateway;
  let running: RunningGateway;
  let base: string;
  before(async () => {
    await buildGraphiqlIfStale((line) => console.log(line));
    [assembled, running, base] = await start({});
  });
  after(async () => {
    await running.close();
    await assembled.close();
  });

  test('a browser GET of /graphql is redirected to /graphiql/', async () => {
    const res = await fetch(`${base}/graphql`, { headers: BROWSER, redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/graphiql/');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal((await fetch(`${base}/graphiql`, { redirect: 'manual' })).status, 308);
  });

  test('operations are never redirected: a GET with a query, a POST', async () => {
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { ...BROWSER, 'apollo-require-preflight': 'true' },
      redirect: 'manual',
    });
    assert.notEqual(get.status, 302);
    assert.match(String(get.headers.get('content-type')), /json/);
    const post = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { ...BROWSER, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      redirect: 'manual',
    });
    assert.notEqual(post.status, 302);
    assert.match(String(post.headers.get('content-type')), /json/);
  });

  test('the page: index.html with its strict policy, its assets, no inline script', async () => {
    const res = await fetch(`${base}/graphiql/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const host = new URL(base).host;
    assert.equal(
      res.headers.get('content-security-policy'),
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws://${host} wss://${host}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; worker-src 'self'`,
    );
    assert.equal(res.headers.get('content-security-policy'), graphiqlContentSecurityPolicy(host));
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    assert.equal(scripts.length, 1);
    const src = /src="([^"]+)"/.exec(scripts[0]!)![1]!;
    assert.match(src, /^\/graphiql\/assets\/index-[\w-]+\.js$/);
    const script = await fetch(`${base}${src}`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });
});

describe('GraphiQL off (GRAPHIQL=false; production by default): 404, and no landing page', () => {
  let assembled: AssembledGateway;
  let running: RunningGateway;
  let base: string;
  before(async () => {
    [assembled, running, base] = await start({ GRAPHIQL: 'false' });
  });
  after(async () => {
    await running.close();
    await assembled.close();
  });

  test('/graphiql/ is 404', async () => {
    for (const path of ['/graphiql', '/graphiql/', '/graphiql/index.html']) {
      const res = await fetch(`${base}${path}`, { headers: BROWSER, redirect: 'manual' });
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { error: 'not found' }, path);
    }
  });

  test('a browser GET of /graphql gets a GraphQL refusal, not Apollo’s CDN landing page', async () => {
    const res = await fetch(`${base}/graphql`, { headers: BROWSER, redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.match(String(res.headers.get('content-type')), /^application\/json/);
    const body = await res.text();
    assert.doesNotMatch(body, /apollographql|sandbox|<html/i);
  });
});

/** Every file of the built bundle, relative to it. */
function bundleFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? bundleFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** Hosts that serve GraphiQL, Monaco, Sandbox or fonts to pages that load them at run time. */
const CDN_HOSTS =
  /esm\.sh|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|apollographql\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|skypack\.dev/;
/** A script, module, worker or style loaded from an absolute http(s) URL. */
const REMOTE_LOAD =
  /(?:\bimport\s*\(|\bfrom\s*|\bimportScripts\s*\(|\bnew\s+(?:Shared)?Worker\s*\(|@import\s+(?:url\()?)\s*["'`]?(?:https?:)?\/\//;

describe('GraphiQL bundle (gateway/graphiql/dist): nothing from a CDN', () => {
  before(() => buildGraphiqlIfStale((line) => console.log(line)));

  test('no file loads a script, style, font or worker from another origin', () => {
    const files = bundleFiles(GRAPHIQL_BUNDLE_DIR);
    assert.ok(files.includes('index.html'));
    assert.ok(files.some((file) => /^assets\/editor\.worker-[\w-]+\.js$/.test(file)));
    for (const file of files) {
      if (!['.html', '.js', '.css'].includes(extname(file))) continue;
      const text = readFileSync(join(GRAPHIQL_BUNDLE_DIR, file), 'utf8');
      assert.doesNotMatch(text, CDN_HOSTS, file);
      assert.doesNotMatch(text, REMOTE_LOAD, file);
      if (file.endsWith('.html')) {
        for (const [, url] of text.matchAll(/\b(?:src|href)="([^"]*)"/g)) {
          assert.match(url!, /^\/graphiql\//, `${file}: ${url}`);
        }
        assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `${file}: inline script`);
      }
      if (file.endsWith('.css')) {
        for (const [, url] of text.matchAll(/url\(\s*["']?([^"')\s]+)/g)) {
          assert.match(url!, /^(?:data:|\/graphiql\/|#)/, `${file}: ${url!.slice(0, 60)}`);
        }
      }
    }
  });
});
