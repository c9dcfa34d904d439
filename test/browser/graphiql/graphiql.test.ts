import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  buildGraphiqlIfStale,
  GRAPHIQL_BUNDLE_DIR,
} from '../../../gateway/graphiql/graphiql-bundle.ts';
import { bundleSizes } from '../../../gateway/static-bundle/bundle-build.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';
import { ARTIFACTS, chromiumSkipReason, launchChromium } from '../tower/browser-kit.ts';

const WAIT = { timeout: 30_000 };
const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * GraphiQL in Chromium against the whole stack (issue 14), offline: every request to another
 * host is blocked (and recorded: there must be none). A browser opening /graphql lands on
 * /graphiql/; anonymous, introspection is refused and the page says so; with a pasted internal
 * token the schema loads, a query runs and its result shows, and a subscription sends the token
 * in graphql-ws connection_init. Screenshot: test/browser/artifacts/graphiql.png.
 */
describe('GraphiQL in a browser, offline', { skip: chromiumSkipReason() }, () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  const blocked: string[] = [];
  const problems: string[] = [];
  const sent: string[] = [];
  let acknowledged: Promise<void>;
  const measures: Record<string, unknown> = {};

  /**
   * Replaces the operation editor's text (Monaco), waits until GraphiQL has read it (its tab is
   * named after the operation), prettifies it and runs it with the execute button.
   */
  async function run(name: string, operation: string) {
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(operation);
    await page.locator('.graphiql-tab').filter({ hasText: name }).waitFor(WAIT);
    await page.getByRole('button', { name: /Prettify query/ }).click();
    await page.getByRole('button', { name: /Execute query/ }).click();
  }

  const result = () => page.locator('.result-window');

  before(async () => {
    await buildGraphiqlIfStale((line) => console.log(line));
    stack = await startTestStack({ skus: 20, locations: 5, vendors: 5 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOCAL.has(url.hostname)) return route.continue();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Every frame passes through this route before it reaches the gateway (page.on('websocket')
    // can miss a socket's first frame), so the test sees exactly what the page sent.
    let ack!: () => void;
    acknowledged = new Promise((resolve) => (ack = resolve));
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        sent.push(String(message));
        server.send(message);
      });
      server.onMessage((message) => {
        if (String(message).includes('"connection_ack"')) ack();
        socket.send(message);
      });
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('a browser opening /graphql gets GraphiQL; anonymous, it says introspection is refused', async () => {
    const started = Date.now();
    await page.goto(stack.gatewayUrl); // http://127.0.0.1:<port>/graphql
    assert.equal(new URL(page.url()).pathname, '/graphiql/');
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor(WAIT);
    measures.editorReadyMs = Date.now() - started;
    await page.getByText('No token: requests are anonymous').waitFor(WAIT);
    const note = page.locator('#introspection-note');
    await note.waitFor(WAIT);
    assert.equal(
      await note.textContent(),
      'Introspection refused (FORBIDDEN: introspection is not allowed for anonymous callers): the docs explorer and autocompletion need an internal token. Queries still run with this token.',
    );
  });

  test('a partner token runs queries but may not introspect: the page says so', async () => {
    const partner = devToken({
      tokenClass: 'partner',
      partnerId: 'P1',
      vendorId: 'V100001',
      scopes: ['promotion:read'],
    });
    await page.getByLabel('Bearer token').fill(partner);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText(/\(partner/).waitFor(WAIT);
    await page
      .locator('#introspection-note')
      .filter({ hasText: 'Introspection refused (FORBIDDEN: introspection is not allowed' })
      .waitFor(WAIT);
  });

  test('with an internal token: the schema loads, a query runs and its result shows', async () => {
    await page.getByLabel('Bearer token').fill(`Bearer ${stack.internalToken}`);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText(/\(internal/).waitFor(WAIT);
    await page.locator('#introspection-note').waitFor({ state: 'hidden', ...WAIT });
    // The token stays in this tab's sessionStorage only.
    assert.equal(await page.evaluate("sessionStorage.getItem('tower.token')"), stack.internalToken);
    assert.equal(await page.evaluate("localStorage.getItem('tower.token')"), null);
    await run('Product', 'query Product { product(sku: "SKU000001") { sku name } }');
    await result().filter({ hasText: '"sku": "SKU000001"' }).waitFor(WAIT);
    // Monaco renders spaces as no-break spaces.
    const shown = JSON.parse(((await result().textContent()) ?? '').replace(/\u00a0/g, ' '));
    const expected = await stack.query('{ product(sku: "SKU000001") { sku name } }');
    assert.deepEqual(shown, expected.body);
    // The docs explorer has the schema (introspection answered for the internal token).
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.getByText('Query', { exact: true }).first().waitFor(WAIT);
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
  });

  test('a subscription sends the token in graphql-ws connection_init, and is acknowledged', async () => {
    await run('Events', 'subscription Events { promotionStateChanged { cursor kind } }');
    await acknowledged;
    const init = JSON.parse(sent.find((frame) => frame.includes('"connection_init"')) ?? 'null');
    assert.deepEqual(init, {
      type: 'connection_init',
      payload: { authorization: `Bearer ${stack.internalToken}` },
    });
    // The subscribe frame follows the acknowledgement.
    const deadline = Date.now() + 10_000;
    while (!sent.some((frame) => frame.includes('"subscribe"')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const subscribe = JSON.parse(sent.find((frame) => frame.includes('"subscribe"')) ?? 'null');
    assert.ok(subscribe, 'the page sent a subscribe frame');
    assert.equal(subscribe.payload.operationName, 'Events');
  });

  test('nothing left the machine, nothing broke, and what the page weighs', () => {
    assert.deepEqual(blocked, []);
    // Refused introspections answer 403: the browser logs those; nothing else.
    assert.deepEqual(
      problems.filter((line) => !/status of 403/.test(line)),
      [],
    );
    const files = bundleSizes(GRAPHIQL_BUNDLE_DIR);
    measures.bundleBytes = files.reduce((sum, file) => sum + file.bytes, 0);
    measures.bundleGzipBytes = files.reduce((sum, file) => sum + file.gzipBytes, 0);
    writeFileSync(
      join(ARTIFACTS, 'graphiql-measures.json'),
      `${JSON.stringify(measures, null, 2)}\n`,
    );
    console.log('GraphiQL measures', measures);
  });
});
