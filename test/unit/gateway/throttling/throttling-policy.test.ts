import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { PolicyError } from '../../../../policies/load-policy.ts';
import {
  loadThrottlingPolicy,
  THROTTLE_SALES_CHANNELS,
} from '../../../../policies/throttling-policy.ts';
import { SALES_CHANNELS } from '../../../../contracts/canonical/sales-channels.ts';

const BASE = `windowSeconds: 60
channels:
  ECOMMERCE:
    points: 1000
    mutationPoints: 100
    perClient: { points: 200, mutationPoints: 20 }
  MOBILE: { points: 1000, mutationPoints: 100 }
  POS: { points: 1000, mutationPoints: 100 }
  MARKETPLACE: { points: 1000, mutationPoints: 100 }
  LOYALTY: { points: 1000, mutationPoints: 100 }
  partner:
    points: 5000
    mutationPoints: 500
    perClient: { points: 500, mutationPoints: 50 }
  internal: { points: 9000, mutationPoints: 900 }
  anonymous: { points: 300, mutationPoints: 3 }
partners:
  default: { points: 400, mutationPoints: 40 }
  overrides:
    acme: { points: 800, mutationPoints: 80 }
`;

const dir = mkdtempSync(join(tmpdir(), 'throttling-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function policyFile(text: string): string {
  const file = join(dir, `throttling-${++count}.yaml`);
  writeFileSync(file, text);
  return file;
}
const variant = (from: string, to: string) => {
  assert.ok(BASE.includes(from), `BASE contains ${from}`);
  return BASE.replace(from, to);
};
/** Asserts the loader refuses `text` with exactly `file:line: message`. */
function refuses(text: string, line: number, message: string) {
  const file = policyFile(text);
  const shown = relative(process.cwd(), file).startsWith('..')
    ? file
    : relative(process.cwd(), file);
  assert.throws(
    () => loadThrottlingPolicy(file),
    (error: unknown) => {
      assert.ok(error instanceof PolicyError);
      assert.equal(error.message, `${shown}:${line}: ${message}`);
      return true;
    },
  );
}

describe('throttling policy loader', () => {
  test('the sales channels are those of the canonical contract', () => {
    assert.deepEqual([...THROTTLE_SALES_CHANNELS], [...SALES_CHANNELS]);
  });

  test('loads a valid file', () => {
    const budget = { points: 1000, mutationPoints: 100 };
    assert.deepEqual(loadThrottlingPolicy(policyFile(BASE)), {
      windowSeconds: 60,
      channels: {
        ECOMMERCE: { ...budget, perClient: { points: 200, mutationPoints: 20 } },
        MOBILE: budget,
        POS: budget,
        MARKETPLACE: budget,
        LOYALTY: budget,
        partner: {
          points: 5000,
          mutationPoints: 500,
          perClient: { points: 500, mutationPoints: 50 },
        },
        internal: { points: 9000, mutationPoints: 900 },
        anonymous: { points: 300, mutationPoints: 3 },
      },
      partners: {
        default: { points: 400, mutationPoints: 40 },
        overrides: { acme: { points: 800, mutationPoints: 80 } },
      },
      subscriptions: { perClient: 20 },
    });
  });

  test('loads the committed policies/throttling.yaml', () => {
    const policy = loadThrottlingPolicy('policies/throttling.yaml');
    assert.equal(policy.windowSeconds, 60);
    assert.deepEqual(policy.channels.ECOMMERCE, {
      points: 600000,
      mutationPoints: 6000,
      perClient: { points: 60000, mutationPoints: 600 },
    });
    assert.deepEqual(policy.channels.anonymous, {
      points: 30000,
      mutationPoints: 300,
      perClient: { points: 3000, mutationPoints: 30 },
    });
    assert.deepEqual(policy.partners, {
      default: { points: 30000, mutationPoints: 3000 },
      overrides: {},
    });
    assert.deepEqual(policy.subscriptions, { perClient: 20 });
  });

  test('a missing sales channel names it and where the channels are declared', () => {
    refuses(
      variant('  POS: { points: 1000, mutationPoints: 100 }\n', ''),
      2,
      'channels.POS: missing required field: every sales channel (contracts/canonical/sales-channels.ts) needs its own budget',
    );
  });

  test('an unknown channel names it and lists the allowed ones', () => {
    refuses(
      variant('  LOYALTY:', '  FAX: { points: 1, mutationPoints: 1 }\n  LOYALTY:'),
      10,
      `channels.FAX: unknown field (allowed: ${[...SALES_CHANNELS, 'partner', 'internal', 'anonymous'].join(', ')})`,
    );
  });

  test('a mutation budget above the points names mutationPoints', () => {
    refuses(
      variant(
        'internal: { points: 9000, mutationPoints: 900 }',
        'internal: { points: 9000, mutationPoints: 9001 }',
      ),
      15,
      'channels.internal.mutationPoints: expected at most points (9000): the mutation budget is the lower one, got 9001',
    );
  });

  test('a per-client limit above the channel names the field', () => {
    refuses(
      variant(
        'perClient: { points: 200, mutationPoints: 20 }',
        'perClient: { points: 2000, mutationPoints: 20 }',
      ),
      6,
      "channels.ECOMMERCE.perClient.points: expected at most the channel's points (1000), got 2000",
    );
  });

  test('perClient under anonymous: per connection address, within the anonymous budget', () => {
    const policy = loadThrottlingPolicy(
      policyFile(
        variant(
          'anonymous: { points: 300, mutationPoints: 3 }',
          'anonymous:\n    points: 300\n    mutationPoints: 3\n    perClient: { points: 30, mutationPoints: 3 }',
        ),
      ),
    );
    assert.deepEqual(policy.channels.anonymous.perClient, { points: 30, mutationPoints: 3 });
    refuses(
      variant(
        'anonymous: { points: 300, mutationPoints: 3 }',
        'anonymous: { points: 300, mutationPoints: 3, perClient: { points: 301, mutationPoints: 3 } }',
      ),
      16,
      "channels.anonymous.perClient.points: expected at most the channel's points (300), got 301",
    );
  });

  test('subscriptions.perClient: an integer from 1 to 10000', () => {
    refuses(
      `${BASE}subscriptions: { perClient: 0 }\n`,
      21,
      'subscriptions.perClient: expected an integer from 1 to 10000, got 0',
    );
  });

  test('points must be positive integers', () => {
    refuses(
      variant('MOBILE: { points: 1000,', 'MOBILE: { points: 0,'),
      7,
      'channels.MOBILE.points: expected an integer from 1 to 1000000000, got 0',
    );
    refuses(
      variant('MOBILE: { points: 1000,', 'MOBILE: { points: "lots",'),
      7,
      'channels.MOBILE.points: expected an integer from 1 to 1000000000, got "lots"',
    );
  });

  test('windowSeconds out of range', () => {
    refuses(
      variant('windowSeconds: 60', 'windowSeconds: 0'),
      1,
      'windowSeconds: expected an integer from 1 to 86400, got 0',
    );
  });

  test('a bad partner override names the partner', () => {
    refuses(
      variant('acme: { points: 800, mutationPoints: 80 }', 'acme: { points: 800 }'),
      20,
      'partners.overrides.acme.mutationPoints: missing required field',
    );
  });

  test('a missing partners section and an unknown top-level field', () => {
    refuses(BASE.slice(0, BASE.indexOf('partners:')), 1, 'partners: missing required field');
    refuses(
      `${BASE}burst: 10\n`,
      21,
      'burst: unknown field (allowed: windowSeconds, channels, partners, subscriptions)',
    );
  });

  test('invalid YAML names the line', () => {
    const file = policyFile('windowSeconds: 60\nchannels: [\n');
    assert.throws(() => loadThrottlingPolicy(file), /throttling-\d+\.yaml:\d+: invalid YAML: /);
  });
});
