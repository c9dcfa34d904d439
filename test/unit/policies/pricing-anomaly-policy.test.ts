import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PolicyError } from '../../../policies/load-policy.ts';
import {
  loadPricingAnomalyPolicy,
  validatePricingAnomalyPolicy,
} from '../../../policies/pricing-anomaly-policy.ts';

/** policies/pricing-anomalies.yaml: the deeperThanHistory block, its defaults and its refusals. */

const BASE = `belowCost:
  action: block
channelPriceMismatch:
  action: warn
  tolerancePercent: 2
stackingConflict:
  action: warn
`;

describe('pricing anomaly policy: deeperThanHistory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pricing-anomalies-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (yaml: string) => {
    const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, yaml);
    return loadPricingAnomalyPolicy(file);
  };

  test('the block, or any of its fields, may be left out: the documented defaults', () => {
    assert.deepEqual(load(BASE).deeperThanHistory, {
      action: 'warn',
      lookbackDays: 365,
      marginPoints: 10,
      firstTimeMaxPercent: 30,
    });
    assert.deepEqual(
      load(`${BASE}deeperThanHistory:\n  action: block\n  lookbackDays: 90\n`).deeperThanHistory,
      { action: 'block', lookbackDays: 90, marginPoints: 10, firstTimeMaxPercent: 30 },
    );
    assert.deepEqual(
      load(
        `${BASE}deeperThanHistory: { action: warn, lookbackDays: 730, marginPoints: 7.5, firstTimeMaxPercent: 25 }\n`,
      ).deeperThanHistory,
      { action: 'warn', lookbackDays: 730, marginPoints: 7.5, firstTimeMaxPercent: 25 },
    );
  });

  for (const [yaml, problem] of [
    ['action: ignore', /deeperThanHistory\.action: expected block or warn/],
    [
      'lookbackDays: 0',
      /deeperThanHistory\.lookbackDays: expected an integer from 1 to 3650, got 0/,
    ],
    [
      'lookbackDays: 30.5',
      /deeperThanHistory\.lookbackDays: expected an integer from 1 to 3650, got 30\.5/,
    ],
    ['lookbackDays: 4000', /deeperThanHistory\.lookbackDays: expected an integer from 1 to 3650/],
    ['lookbackDays: "365"', /deeperThanHistory\.lookbackDays: expected an integer/],
    ['marginPoints: -1', /deeperThanHistory\.marginPoints: /],
    ['marginPoints: ten', /deeperThanHistory\.marginPoints: expected a number, got "ten"/],
    ['firstTimeMaxPercent: 120', /deeperThanHistory\.firstTimeMaxPercent: /],
    ['lookback: 365', /deeperThanHistory\.lookback: unknown field/],
  ] as const) {
    test(`refused at load: ${yaml}`, () => {
      assert.throws(
        () => load(`${BASE}deeperThanHistory:\n  ${yaml}\n`),
        (error: unknown) => {
          assert.ok(error instanceof PolicyError, String(error));
          assert.match(error.message, problem);
          assert.match(error.message, /\.yaml:\d+: /);
          return true;
        },
      );
    });
  }

  test('not a mapping is refused; validation fills defaults into a parsed object', () => {
    assert.throws(
      () => load(`${BASE}deeperThanHistory: 10\n`),
      /deeperThanHistory: expected a mapping/,
    );
    const parsed = validatePricingAnomalyPolicy({
      belowCost: { action: 'block' },
      channelPriceMismatch: { action: 'warn', tolerancePercent: 2 },
      stackingConflict: { action: 'warn' },
      deeperThanHistory: { marginPoints: 5 },
    });
    assert.deepEqual(parsed.deeperThanHistory, {
      action: 'warn',
      lookbackDays: 365,
      marginPoints: 5,
      firstTimeMaxPercent: 30,
    });
  });
});
