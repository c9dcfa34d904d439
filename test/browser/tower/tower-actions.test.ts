import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import type { TestStack } from '../../helpers/stack.ts';
import { ARTIFACTS, chromiumSkipReason, launchChromium, startTowerStack } from './browser-kit.ts';
import {
  channelsOf,
  createDraft,
  findStockedSku,
  publish,
  submit,
  submitAndApprove,
} from './promotion-walk.ts';

const WAIT = { timeout: 20_000 };

/**
 * POS gives up after 3 quick attempts (a dead letter within a second of an outage); every
 * other channel as in the other tests.
 */
const POLICY = testDeliveryPolicy(
  {},
  { POS: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50, requestTimeoutMs: 1000 } },
);

/**
 * The internal actions of the control tower in Chromium against the whole stack (issue 14), the
 * ones the other browser tests do not take: approving over a failed readiness gate with an
 * override and its reason (the audit trail keeps it), and redriving a dead letter from the
 * exceptions queue once its channel is fixed (the queue filtered to that channel's dead letters).
 * The exception sweep runs every 200 ms here. Screenshots: test/browser/artifacts/actions-*.png.
 */
describe(
  "the control tower's internal actions in a browser",
  { skip: chromiumSkipReason() },
  () => {
    let stack: TestStack;
    let browser: Browser;
    let page: Page;
    let sku: string;
    const problems: string[] = [];

    const shot = (name: string) =>
      page.screenshot({ path: join(ARTIFACTS, `actions-${name}.png`), fullPage: true });
    const queue = () => page.getByRole('region', { name: /^Exceptions/ });

    before(async () => {
      stack = await startTowerStack({ deliveryPolicy: POLICY, exceptionIntervalMs: 200 });
      sku = await findStockedSku(stack, 40);
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.goto(stack.gatewayUrl.replace(/\/graphql$/, '/tower/'));
      await page.getByLabel('Access token').fill(stack.internalToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-feed="live"]').waitFor(WAIT);
      await queue().getByText('No open exception: every promotion runs as planned.').waitFor(WAIT);
    });

    after(async () => {
      stack?.backends.state.channels.setMode('pos', 'accept');
      await browser?.close();
      await stack?.close();
    });

    test('approves over a failed readiness gate with an override; the audit trail has the reason', async () => {
      // Far more units expected than S001 holds: the stock check fails.
      const id = await createDraft(stack, {
        name: 'Clearance: more than we hold',
        sku,
        channels: ['ECOMMERCE'],
        expectedUnits: '1000000',
      });
      await submit(stack, id);
      // Created after the list loaded: it arrives through the subscription.
      const row = page.locator(`tr[data-promotion="${id}"]`);
      await row.locator('[data-state="PENDING_APPROVAL"]').waitFor(WAIT);
      await row.getByRole('button').click();
      const detail = page.locator(`article[data-promotion="${id}"]`);
      const approve = detail.getByRole('form', { name: 'Approve' });

      // Approving plainly is refused by the gate, which the page says.
      await approve.getByRole('button', { name: 'Approve version 2' }).click();
      await approve
        .getByRole('alert')
        .filter({ hasText: /approval blocked by readiness checks: INVENTORY/ })
        .waitFor(WAIT);
      // The failed gate is an exception in the queue, whose action leads to the readiness.
      const exception = queue().locator(
        `tr[data-kind="FAILED_READINESS"][data-promotion-id="${id}"]`,
      );
      await exception.waitFor(WAIT);
      assert.match(await exception.locator('td').nth(5).innerText(), /^INVENTORY: /);
      await exception.getByRole('button', { name: 'Review readiness' }).waitFor(WAIT);
      await detail.locator('.report[data-passed="false"]').waitFor(WAIT);
      await detail.locator('.summary [data-state="PENDING_APPROVAL"]').waitFor(WAIT);

      // The blocked attempt made version 3 (its readiness report): the override approves it.
      const reason = 'Supplier confirmed a second delivery on Monday';
      await approve.getByRole('button', { name: 'Approve version 3' }).waitFor(WAIT);
      await approve.getByLabel('Override a failed readiness gate').check();
      await approve.getByLabel('Reason for the override').fill(reason);
      await shot('override');
      await approve.getByRole('button', { name: 'Approve version 3' }).click();

      await detail.locator('.summary [data-state="APPROVED"]').waitFor(WAIT);
      await row.locator('[data-state="APPROVED"]').waitFor(WAIT);
      const audit = detail
        .locator('.audit tr', { hasText: 'approvePromotion' })
        .filter({ hasText: `override: ${reason}` });
      await audit.waitFor(WAIT);
      assert.match(await audit.innerText(), /Pending approval → Approved/);
      await detail.locator('.audit tr', { hasText: 'approvalBlocked' }).waitFor(WAIT);
      // Approved: the gate no longer blocks anything, and the exception resolves.
      await exception.waitFor({ state: 'detached', ...WAIT });
      await shot('overridden');
      assert.deepEqual(problems, []);
    });

    test('redrives dead letters from the queue once the channel is fixed: one, then every one left', async () => {
      stack.backends.state.channels.setMode('pos', 'error');
      const ids: string[] = [];
      for (const name of ['Weekend: stores and web', 'Weekend: garden furniture']) {
        const id = await createDraft(stack, { name, sku, channels: ['ECOMMERCE', 'POS'] });
        await submitAndApprove(stack, id);
        await publish(stack, id, ['ECOMMERCE', 'POS']);
        ids.push(id);
      }
      const [id, other] = ids as [string, string];
      const deadLetterOf = (promotionId: string) =>
        queue().locator(`tr[data-kind="DEAD_LETTER"][data-promotion-id="${promotionId}"]`);
      const deadLetter = deadLetterOf(id);
      await deadLetter.waitFor(WAIT);
      await deadLetterOf(other).waitFor(WAIT);
      const cells = await deadLetter.locator('td').allInnerTexts();
      assert.equal(cells[0], 'Critical');
      assert.equal(cells[1], 'Dead letter');
      assert.equal(cells[3], 'Stores (POS)');
      assert.match(cells[5]!, /^HTTP 500: /);

      // Filtered to another channel's dead letters, neither is in the queue; to POS's, both are.
      const filters = queue().getByRole('form', { name: 'Filter exceptions' });
      await filters.getByLabel('Kind').selectOption('DEAD_LETTER');
      await filters.getByLabel('Channel').selectOption('ECOMMERCE');
      await queue().getByText('No open exception matches the filters.').waitFor(WAIT);
      assert.equal(await queue().locator('tbody tr').count(), 0);
      await filters.getByLabel('Channel').selectOption('POS');
      await deadLetter.waitFor(WAIT);
      await deadLetterOf(other).waitFor(WAIT);
      assert.equal(await queue().locator('tbody tr').count(), 2);

      // The promotion's detail shows the dead-lettered channel.
      await deadLetter.getByRole('button', { name: 'Weekend: stores and web' }).click();
      const detail = page.locator(`article[data-promotion="${id}"]`);
      await detail.locator('tr[data-channel="POS"][data-status="DEAD_LETTERED"]').waitFor(WAIT);
      await detail
        .locator('tr[data-channel="ECOMMERCE"][data-status="ACKNOWLEDGED"]')
        .waitFor(WAIT);
      await shot('dead-letter');

      // POS is fixed; the operator redrives the first from its row.
      stack.backends.state.channels.setMode('pos', 'accept');
      await deadLetter.getByRole('button', { name: 'Redrive Stores (POS)' }).click();
      await deadLetter.waitFor({ state: 'detached', ...WAIT });
      await detail
        .locator('tr[data-channel="POS"][data-status="ACKNOWLEDGED"] td[data-live="true"]')
        .waitFor(WAIT);
      await detail
        .locator('.audit tr', { hasText: 'retryChannelDelivery' })
        .filter({ hasText: 'Stores (POS)' })
        .waitFor(WAIT);

      // Then every dead letter left in POS at once (redriveDeadLetters): the other one.
      const bulk = queue().locator('[data-redrive-channel="POS"]');
      await bulk.getByRole('button', { name: 'Redrive every dead letter in Stores (POS)' }).click();
      await bulk
        .getByRole('status')
        .filter({ hasText: '1 dead letter in Stores (POS) queued again.' })
        .waitFor(WAIT);
      await deadLetterOf(other).waitFor({ state: 'detached', ...WAIT });
      await queue().getByText('No open exception matches the filters.').waitFor(WAIT);

      for (const promotionId of ids) {
        const { channels } = await waitForChannels(promotionId, 'ACKNOWLEDGED');
        assert.deepEqual(
          channels.map((c) => [c.channel, c.status]),
          [
            ['ECOMMERCE', 'ACKNOWLEDGED'],
            ['POS', 'ACKNOWLEDGED'],
          ],
        );
      }
      // The matrix, recounted after the feed's events, has no dead letter left.
      await page.locator('[data-cell="POS:DEAD_LETTERED"]', { hasText: /^0$/ }).waitFor(WAIT);
      await page.locator('[data-cell="POS:ACKNOWLEDGED"]', { hasText: /^2$/ }).waitFor(WAIT);
      await shot('redriven');
      assert.deepEqual(problems, []);
    });

    /** The promotion's channels once every one has `status` (the API, polled until then). */
    async function waitForChannels(promotionId: string, status: string) {
      const deadline = Date.now() + WAIT.timeout;
      for (;;) {
        const promotion = await channelsOf(stack, promotionId);
        if (promotion.channels.every((c) => c.status === status) || Date.now() > deadline) {
          return promotion;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  },
);
