import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { outageDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import type { TestStack } from '../../helpers/stack.ts';
import { ARTIFACTS, chromiumSkipReason, launchChromium, startTowerStack } from './browser-kit.ts';
import { createDraft, findStockedSku, publish, submitAndApprove } from './promotion-walk.ts';

const WAIT = { timeout: 20_000 };

/** POS fails fast and is retried without end; a promotion is held after 500 ms. */
const POLICY = outageDeliveryPolicy();

/**
 * The control tower's exceptions queue in Chromium against the whole stack: POS is down when a
 * promotion inside its window is published to ECOMMERCE and POS; its held activation appears in
 * the queue pushed over the subscription (the queue is not loaded again), the promotion's detail
 * shows the hold and its held channels; POS comes back and the row goes. The exception sweep
 * runs every 200 ms here. Screenshot: test/browser/artifacts/exceptions-queue.png.
 */
describe(
  "the control tower's exceptions queue in a browser",
  { skip: chromiumSkipReason() },
  () => {
    let stack: TestStack;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];
    const queueQueries: number[] = [];

    before(async () => {
      stack = await startTowerStack({ deliveryPolicy: POLICY, exceptionIntervalMs: 200 });
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (
          request.method() === 'POST' &&
          request.url().endsWith('/graphql') &&
          (request.postData() ?? '').includes('"operationName":"TowerExceptions"')
        ) {
          queueQueries.push(Date.now());
        }
      });
    });

    after(async () => {
      stack?.backends.state.channels.setMode('pos', 'accept');
      await browser?.close();
      await stack?.close();
    });

    test('a held activation appears live, shows on its promotion, and goes once POS is back', async () => {
      const sku = await findStockedSku(stack, 40);
      await page.goto(stack.gatewayUrl.replace(/\/graphql$/, '/tower/'));
      await page.getByLabel('Access token').fill(stack.internalToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const queue = page.getByRole('region', { name: /^Exceptions/ });
      await queue.getByText('No open exception: every promotion runs as planned.').waitFor(WAIT);
      await page.locator('[data-feed="live"]').waitFor(WAIT);
      const queriesBefore = queueQueries.length;

      stack.backends.state.channels.setMode('pos', 'down');
      const id = await createDraft(stack, {
        name: 'Easter weekend: 1% off',
        sku,
        channels: ['ECOMMERCE', 'POS'],
      });
      await submitAndApprove(stack, id);
      await publish(stack, id, ['ECOMMERCE', 'POS']);

      const row = queue.locator(`tr[data-kind="ACTIVATION_HELD"][data-promotion-id="${id}"]`);
      await row.waitFor(WAIT);
      assert.equal(await row.getAttribute('data-severity'), 'CRITICAL');
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[0], 'Critical');
      assert.equal(cells[1], 'Activation held');
      assert.match(cells[2]!, new RegExp(`^Easter weekend: 1% off\\n${id}$`));
      assert.equal(cells[3], 'All channels');
      assert.match(cells[4]!, /^(just now|\d+(\.\d)? (ms|s) ago)\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.match(cells[5]!, /^POS failing: connection failed/);
      assert.equal(cells[6], 'Open promotion');

      // The action opens the promotion: the hold, what it awaits, and its held channels.
      await row.getByRole('button', { name: 'Open promotion' }).click();
      const detail = page.locator(`article[data-promotion="${id}"]`);
      const hold = detail.locator('[data-activation-hold]');
      await hold.waitFor(WAIT);
      assert.match(
        await hold.innerText(),
        /^Activation held since .*POS failing: connection failed/,
      );
      assert.match(await hold.innerText(), /Live in no channel until Stores \(POS\) acknowledges/);
      await detail.locator('tr[data-channel="ECOMMERCE"][data-held="true"]').waitFor(WAIT);
      await page.screenshot({ path: join(ARTIFACTS, 'exceptions-queue.png'), fullPage: true });

      stack.backends.state.channels.setMode('pos', 'accept');
      await row.waitFor({ state: 'detached', ...WAIT });
      await queue.getByText('No open exception: every promotion runs as planned.').waitFor(WAIT);
      await hold.waitFor({ state: 'detached', ...WAIT });
      await detail
        .locator('tr[data-channel="POS"][data-status="ACKNOWLEDGED"] td[data-live="true"]')
        .waitFor(WAIT);
      // Raised and resolved through the subscription: the queue was never loaded again.
      assert.equal(queueQueries.length, queriesBefore);
      await page.screenshot({ path: join(ARTIFACTS, 'exceptions-resolved.png'), fullPage: true });
      assert.deepEqual(problems, []);
    });
  },
);
