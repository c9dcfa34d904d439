import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Big from 'big.js';
import {
  atpOfDecimals,
  computeAtp,
  formatQuantity,
  type StockComponents,
} from '../../../subgraphs/inventory/atp.ts';

function stock(overrides: Partial<StockComponents>): StockComponents {
  return {
    onHand: '0',
    reserved: '0',
    unavailable: '0',
    safetyStock: '0',
    inTransit: '0',
    ...overrides,
  };
}

describe('ATP formula', () => {
  test('onHand minus reserved, unavailable and safety stock', () => {
    assert.deepEqual(
      computeAtp(stock({ onHand: '19.5', reserved: '3', unavailable: '3.5', safetyStock: '2' })),
      { availableToPromise: '11', status: 'IN_STOCK' },
    );
  });

  test('never negative; OUT_OF_STOCK at zero', () => {
    assert.deepEqual(computeAtp(stock({ onHand: '2', reserved: '5' })), {
      availableToPromise: '0',
      status: 'OUT_OF_STOCK',
    });
    assert.deepEqual(computeAtp(stock({})), { availableToPromise: '0', status: 'OUT_OF_STOCK' });
  });

  test('BACKORDERABLE instead of OUT_OF_STOCK when stock is in transit', () => {
    assert.deepEqual(computeAtp(stock({ onHand: '1', safetyStock: '1', inTransit: '0.001' })), {
      availableToPromise: '0',
      status: 'BACKORDERABLE',
    });
  });

  test('in-transit stock does not count towards ATP', () => {
    assert.deepEqual(computeAtp(stock({ onHand: '20', inTransit: '100' })), {
      availableToPromise: '20',
      status: 'IN_STOCK',
    });
  });

  test('LOW_STOCK at or below the threshold (default 5), IN_STOCK above it', () => {
    assert.equal(computeAtp(stock({ onHand: '5' })).status, 'LOW_STOCK');
    assert.equal(computeAtp(stock({ onHand: '0.001' })).status, 'LOW_STOCK');
    assert.equal(computeAtp(stock({ onHand: '5.001' })).status, 'IN_STOCK');
    assert.equal(computeAtp(stock({ onHand: '5', inTransit: '9' })).status, 'LOW_STOCK');
  });

  test('the threshold is configurable', () => {
    assert.equal(computeAtp(stock({ onHand: '12' }), 12).status, 'LOW_STOCK');
    assert.equal(computeAtp(stock({ onHand: '12' }), '11.5').status, 'IN_STOCK');
    assert.equal(computeAtp(stock({ onHand: '1' }), 0).status, 'IN_STOCK');
  });

  test('exact decimal arithmetic, 3 dp half up; a rounded-away remainder is zero', () => {
    assert.deepEqual(computeAtp(stock({ onHand: '0.3', reserved: '0.1', unavailable: '0.2' })), {
      availableToPromise: '0',
      status: 'OUT_OF_STOCK',
    });
    assert.deepEqual(computeAtp(stock({ onHand: '10.00049' })), {
      availableToPromise: '10',
      status: 'IN_STOCK',
    });
    assert.deepEqual(computeAtp(stock({ onHand: '10.0005' })), {
      availableToPromise: '10.001',
      status: 'IN_STOCK',
    });
    assert.deepEqual(computeAtp(stock({ onHand: '0.0004' })), {
      availableToPromise: '0',
      status: 'OUT_OF_STOCK',
    });
  });

  test('formats quantities without exponent, trailing zeros or negative zero', () => {
    assert.equal(formatQuantity(new Big('12.50000000000000')), '12.5');
    assert.equal(formatQuantity(new Big('1e21')), '1000000000000000000000');
    assert.equal(formatQuantity(new Big('-0.0001')), '0');
    assert.equal(formatQuantity(new Big('-2.5')), '-2.5');
  });
});

describe('computeAtp on whole units', () => {
  test('answers exactly as decimal arithmetic does, for whole and decimal quantities alike', () => {
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647);
    const quantity = (): string => {
      const pick = next() % 10;
      if (pick === 0) return '0';
      if (pick === 1) return String(next() % 1_000_000_000_000_000); // up to 15 digits
      if (pick === 2) return `${next() % 50}.${next() % 1000}`; // a decimal: the slow path
      if (pick === 3) return `-${next() % 20}`;
      return String(next() % 40);
    };
    for (let i = 0; i < 20_000; i++) {
      const components = {
        onHand: quantity(),
        reserved: quantity(),
        unavailable: quantity(),
        safetyStock: quantity(),
        inTransit: quantity(),
      };
      const threshold = i % 7 === 0 ? '2.5' : String(next() % 10);
      assert.deepEqual(
        computeAtp(components, threshold),
        atpOfDecimals(components, threshold),
        JSON.stringify({ components, threshold }),
      );
    }
  });
});
