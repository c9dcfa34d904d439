import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  exceptionFilterVariable,
  matchesExceptionFilter,
} from '../../../../gateway/tower/app/state/exception-filter.ts';

const held = { kind: 'ACTIVATION_HELD', channel: null } as const;
const deadPos = { kind: 'DEAD_LETTER', channel: 'POS' } as const;
const overdueMobile = { kind: 'OVERDUE_DELIVERY', channel: 'MOBILE' } as const;

describe("the control tower's exception filter", () => {
  test('no filter matches every exception', () => {
    for (const e of [held, deadPos, overdueMobile])
      assert.equal(matchesExceptionFilter(e, {}), true);
    assert.equal(matchesExceptionFilter(held, { kinds: [], channels: [] }), true);
  });

  test('by kind: one of the kinds', () => {
    const filter = { kinds: ['DEAD_LETTER', 'ACTIVATION_HELD'] } as const;
    assert.equal(matchesExceptionFilter(deadPos, filter), true);
    assert.equal(matchesExceptionFilter(held, filter), true);
    assert.equal(matchesExceptionFilter(overdueMobile, filter), false);
  });

  test('by channel: one of the channels; a promotion-wide exception (no channel) does not match', () => {
    const filter = { channels: ['POS'] } as const;
    assert.equal(matchesExceptionFilter(deadPos, filter), true);
    assert.equal(matchesExceptionFilter(overdueMobile, filter), false);
    assert.equal(matchesExceptionFilter(held, filter), false);
  });

  test('kind and channel together: both must match', () => {
    const filter = { kinds: ['DEAD_LETTER'], channels: ['MOBILE'] } as const;
    assert.equal(matchesExceptionFilter(deadPos, filter), false);
    assert.equal(matchesExceptionFilter(overdueMobile, filter), false);
    assert.equal(matchesExceptionFilter({ kind: 'DEAD_LETTER', channel: 'MOBILE' }, filter), true);
  });

  test("the query's variable: open ones, with only the filters given", () => {
    assert.deepEqual(exceptionFilterVariable({}), { open: true });
    assert.deepEqual(exceptionFilterVariable({ kinds: [], channels: [] }), { open: true });
    assert.deepEqual(exceptionFilterVariable({ kinds: ['DEAD_LETTER'], channels: ['POS'] }), {
      open: true,
      kinds: ['DEAD_LETTER'],
      channels: ['POS'],
    });
  });
});
