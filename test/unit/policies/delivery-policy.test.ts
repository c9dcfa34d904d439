import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SALES_CHANNELS } from '../../../contracts/canonical/sales-channels.ts';
import { loadDeliveryPolicy, parseDuration } from '../../../policies/delivery-policy.ts';

const dir = mkdtempSync(join(tmpdir(), 'delivery-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DEFAULTS = `defaults:
  retry: { initialDelay: 1s, maxDelay: 15m, giveUpAfter: 6h }
  concurrency: 4
  requestTimeout: 5s
  circuit: { failureThreshold: 5, coolDown: 30s }
  deliverySlo: 5m
`;
const channels = (extra: Record<string, string> = {}) =>
  `channels:\n${SALES_CHANNELS.map((c) => `  ${c}: ${extra[c] ?? '{}'}`).join('\n')}\n`;

function load(text: string) {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  try {
    return { policy: loadDeliveryPolicy(file), error: undefined };
  } catch (error) {
    return { policy: undefined, error: (error as Error).message.replaceAll(file, 'delivery.yaml') };
  }
}

describe('policies/delivery.yaml', () => {
  test('the committed file loads: every channel has a lane, POS overrides the defaults', () => {
    const policy = loadDeliveryPolicy();
    assert.deepEqual(Object.keys(policy.channels), [...SALES_CHANNELS]);
    assert.deepEqual(policy.channels.POS, {
      retry: {
        initialDelayMs: 1000,
        maxDelayMs: 1_800_000,
        giveUpAfterMs: 43_200_000,
        maxAttempts: null,
      },
      concurrency: 4,
      requestTimeoutMs: 5000,
      circuit: { failureThreshold: 5, coolDownMs: 60_000 },
      deliverySloMs: 900_000,
    });
    assert.equal(policy.channels.ECOMMERCE.concurrency, 8);
  });

  test('durations', () => {
    assert.deepEqual(
      ['250ms', '30s', '15m', '6h'].map(parseDuration),
      [250, 30_000, 900_000, 21_600_000],
    );
  });

  test('a channel override merges field by field', () => {
    const { policy } = load(
      DEFAULTS + channels({ LOYALTY: '{ retry: { giveUpAfter: 1h }, circuit: { coolDown: 5s } }' }),
    );
    assert.deepEqual(policy!.channels.LOYALTY.retry, {
      initialDelayMs: 1000,
      maxDelayMs: 900_000,
      giveUpAfterMs: 3_600_000,
      maxAttempts: null,
    });
    assert.deepEqual(policy!.channels.LOYALTY.circuit, { failureThreshold: 5, coolDownMs: 5000 });
  });

  test('a channel without an entry (a newly declared one, say) delivers with the defaults', () => {
    const others = SALES_CHANNELS.filter((c) => c !== 'POS')
      .map((c) => `  ${c}: { concurrency: 3 }`)
      .join('\n');
    const { policy, error } = load(`${DEFAULTS}channels:\n${others}\n`);
    assert.equal(error, undefined);
    const fromDefaults = load(`${DEFAULTS}channels: {}\n`).policy!.channels.POS;
    assert.deepEqual(policy!.channels.POS, fromDefaults);
    assert.equal(policy!.channels.MOBILE.concurrency, 3);
    assert.notEqual(fromDefaults.concurrency, 3);
  });

  test('problems as file:line: field: problem', () => {
    assert.equal(
      load(DEFAULTS + channels({ MOBILE: '{ requestTimeout: 5 seconds }' })).error,
      'delivery.yaml:9: channels.MOBILE.requestTimeout: expected a duration such as 500ms, 30s, 15m or 6h',
    );
    assert.equal(
      load(DEFAULTS + channels({ POS: '{ retry: { maxDelay: 500ms } }' })).error,
      'delivery.yaml:10: channels.POS.retry.maxDelay: expected at least initialDelay (1s), got 500ms',
    );
    assert.equal(
      load(DEFAULTS + channels({ LOYALTY: '{ concurrency: 0, speed: 3 }' })).error,
      [
        'delivery.yaml:12: channels.LOYALTY.concurrency: expected an integer from 1 to 256, got 0',
        'delivery.yaml:12: channels.LOYALTY.speed: unknown field (allowed: retry, concurrency, requestTimeout, circuit, deliverySlo)',
      ].join('\n'),
    );
    assert.equal(
      load(DEFAULTS.replace('giveUpAfter: 6h', 'giveUpAfter: 200h') + channels()).error,
      'delivery.yaml:2: defaults.retry.giveUpAfter: expected at most 168h (7 days)',
    );
  });
});
