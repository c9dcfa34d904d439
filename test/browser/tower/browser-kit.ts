import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildTowerIfStale } from '../../../gateway/tower/tower-bundle.ts';
import { loadTrustedDocuments } from '../../../gateway/trusted-document-manifest.ts';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import { startTestStack, type TestStack, type TestStackOptions } from '../../helpers/stack.ts';

/** Debian's Chromium (`.ci/run` installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots and measures of the browser tests (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * Why the browser tests cannot run here (no Chromium), or false. Under CI=true a missing
 * Chromium is a failure, not a skip.
 */
export function chromiumSkipReason(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium`;
  if (process.env.CI === 'true') throw new Error(reason);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The stack the tower's browser tests run against: the tower built if stale, a small catalog
 * (40 SKUs, 5 stores, 3 vendors), the production operations policy and the trusted documents,
 * plus `options`.
 */
export async function startTowerStack(options: TestStackOptions = {}): Promise<TestStack> {
  await buildTowerIfStale((line) => console.log(line));
  const operations = loadOperationsPolicy('policies/operations.yaml', {
    knownTokenClasses: ['channel-app', 'partner', 'internal'],
  });
  return startTestStack({
    skus: 40,
    locations: 5,
    vendors: 3,
    operations: () => operations,
    trustedDocuments: loadTrustedDocuments('contracts/trusted-documents/manifest.json'),
    ...options,
  });
}
