import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Big } from 'big.js';
import { OfferKind } from '../../../subgraphs/shared/canonical/enums.ts';
import {
  marginPercentAt,
  minimumPriceFor,
  parseMinimumMarginPercent,
} from '../../../subgraphs/pricing/margin.ts';
import {
  bundleUnitPrices,
  promotionalUnitPrice,
  type OfferTerms,
} from '../../../subgraphs/pricing/promotional-price.ts';

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const price = (regular: string, terms: OfferTerms, currency = 'EUR') =>
  promotionalUnitPrice(regular, currency, terms);

describe('promotional unit price', () => {
  test('PERCENT_OFF rounds half-up at the end', () => {
    assert.deepEqual(price('9.99', { offerKind: OfferKind.PERCENT_OFF, percentOff: '25' }), {
      ok: true,
      price: '7.49',
    });
    // 2.50 * 0.85 = 2.125 → 2.13 (half-up), not 2.12 (banker's rounding).
    assert.deepEqual(price('2.50', { offerKind: OfferKind.PERCENT_OFF, percentOff: '15' }), {
      ok: true,
      price: '2.13',
    });
    assert.deepEqual(price('4.00', { offerKind: OfferKind.PERCENT_OFF, percentOff: '12.5' }), {
      ok: true,
      price: '3.50',
    });
    assert.deepEqual(price('4.00', { offerKind: OfferKind.PERCENT_OFF, percentOff: '100' }), {
      ok: true,
      price: '0.00',
    });
  });

  test('PERCENT_OFF outside (0, 100] is an invalid offer', () => {
    for (const percentOff of ['0', '101', '-5', null, 'abc']) {
      assert.deepEqual(price('4.00', { offerKind: OfferKind.PERCENT_OFF, percentOff }), {
        ok: false,
        problem: 'INVALID_OFFER',
        message: 'PERCENT_OFF needs 0 < percentOff <= 100',
      });
    }
  });

  test('AMOUNT_OFF subtracts and never goes below 0', () => {
    assert.deepEqual(price('9.99', { offerKind: OfferKind.AMOUNT_OFF, amountOff: eur('2.50') }), {
      ok: true,
      price: '7.49',
    });
    assert.deepEqual(price('1.99', { offerKind: OfferKind.AMOUNT_OFF, amountOff: eur('5.00') }), {
      ok: true,
      price: '0.00',
    });
  });

  test('AMOUNT_OFF in another currency is a currency mismatch', () => {
    assert.deepEqual(
      price('9.99', {
        offerKind: OfferKind.AMOUNT_OFF,
        amountOff: { amount: '1', currency: 'USD' },
      }),
      {
        ok: false,
        problem: 'CURRENCY_MISMATCH',
        message: 'offer is in USD, the price in EUR',
      },
    );
  });

  test('FIXED_PRICE is the fixed price, capped at the regular price', () => {
    assert.deepEqual(price('9.99', { offerKind: OfferKind.FIXED_PRICE, fixedPrice: eur('5') }), {
      ok: true,
      price: '5.00',
    });
    assert.deepEqual(price('4.99', { offerKind: OfferKind.FIXED_PRICE, fixedPrice: eur('5.00') }), {
      ok: true,
      price: '4.99',
    });
    assert.deepEqual(price('4.99', { offerKind: OfferKind.FIXED_PRICE, fixedPrice: null }), {
      ok: false,
      problem: 'INVALID_OFFER',
      message: 'FIXED_PRICE needs a non-negative amount',
    });
  });

  test('BUY_X_GET_Y is the effective per-unit price of one application', () => {
    // (2 × 9.99 + 1 × 9.99 × 0.5) / 3 = 8.325 → 8.33
    assert.deepEqual(
      price('9.99', {
        offerKind: OfferKind.BUY_X_GET_Y,
        buyQuantity: 2,
        getQuantity: 1,
        getDiscountPercent: '50',
      }),
      { ok: true, price: '8.33' },
    );
    // buy 2 get 1 free (default 100 %): 2 × 3.00 / 3 = 2.00
    assert.deepEqual(
      price('3.00', { offerKind: OfferKind.BUY_X_GET_Y, buyQuantity: 2, getQuantity: 1 }),
      {
        ok: true,
        price: '2.00',
      },
    );
    // buy 1 get 1 free on 0.99: 0.495 → 0.50
    assert.deepEqual(
      price('0.99', {
        offerKind: OfferKind.BUY_X_GET_Y,
        buyQuantity: 1,
        getQuantity: 1,
        getDiscountPercent: '100',
      }),
      { ok: true, price: '0.50' },
    );
    assert.deepEqual(
      price('3.00', { offerKind: OfferKind.BUY_X_GET_Y, buyQuantity: 0, getQuantity: 1 }),
      {
        ok: false,
        problem: 'INVALID_OFFER',
        message: 'BUY_X_GET_Y needs buyQuantity >= 1 and getQuantity >= 1',
      },
    );
  });

  test('BUNDLE_PRICE needs every SKU of the bundle', () => {
    assert.deepEqual(
      price('3.00', { offerKind: OfferKind.BUNDLE_PRICE, bundlePrice: eur('5.00') }),
      {
        ok: false,
        problem: 'BUNDLE_NEEDS_ALL_SKUS',
        message: 'a bundle price is spread over all qualifying SKUs',
      },
    );
  });
});

describe('bundle price spread', () => {
  test('pro rata to regular prices, rounding residual on the most expensive SKU', () => {
    // 10 over 3 + 3 + 4 = 10 → exact.
    assert.deepEqual(
      [
        ...bundleUnitPrices(
          [
            { sku: 'A', price: '4.00' },
            { sku: 'B', price: '4.00' },
            { sku: 'C', price: '2.00' },
          ],
          '5.00',
        ),
      ],
      [
        ['A', '2.00'],
        ['B', '2.00'],
        ['C', '1.00'],
      ],
    );
    // 10.00 over three equal prices: 3.33 each, residual 0.01 to the first most expensive.
    assert.deepEqual(
      [
        ...bundleUnitPrices(
          [
            { sku: 'A', price: '5.00' },
            { sku: 'B', price: '5.00' },
            { sku: 'C', price: '5.00' },
          ],
          '10.00',
        ),
      ],
      [
        ['A', '3.34'],
        ['B', '3.33'],
        ['C', '3.33'],
      ],
    );
    // 6.00 over 1.99 + 5.99 = 7.98: 1.4962… → 1.50 and 4.5037… → 4.50.
    assert.deepEqual(
      [
        ...bundleUnitPrices(
          [
            { sku: 'A', price: '1.99' },
            { sku: 'B', price: '5.99' },
          ],
          '6.00',
        ),
      ],
      [
        ['A', '1.50'],
        ['B', '4.50'],
      ],
    );
    // 2.00 over three 1.00s: 0.67 each sums to 2.01, so the first most expensive gives back a cent.
    assert.deepEqual(
      [
        ...bundleUnitPrices(
          [
            { sku: 'A', price: '1.00' },
            { sku: 'B', price: '1.00' },
            { sku: 'C', price: '1.00' },
          ],
          '2.00',
        ),
      ],
      [
        ['A', '0.66'],
        ['B', '0.67'],
        ['C', '0.67'],
      ],
    );
  });

  test('a bundle dearer than its parts keeps the regular prices', () => {
    assert.deepEqual(
      [
        ...bundleUnitPrices(
          [
            { sku: 'A', price: '1.00' },
            { sku: 'B', price: '2.00' },
          ],
          '5.00',
        ),
      ],
      [
        ['A', '1.00'],
        ['B', '2.00'],
      ],
    );
  });
});

describe('margin floor arithmetic', () => {
  test('minimum price = cost / (1 - margin)', () => {
    assert.equal(minimumPriceFor(new Big('8'), new Big('10')).toFixed(2, 1), '8.89');
    assert.equal(minimumPriceFor(new Big('4.5'), new Big('0')).toFixed(2, 1), '4.50');
  });

  test('margin at a price, in percent of the price', () => {
    assert.equal(marginPercentAt(new Big('10'), new Big('8'))!.toFixed(2, 1), '20.00');
    assert.equal(marginPercentAt(new Big('0'), new Big('8')), undefined);
  });

  test('configured minimum margin is validated', () => {
    assert.equal(parseMinimumMarginPercent(undefined).toString(), '10');
    assert.equal(parseMinimumMarginPercent('12.5').toString(), '12.5');
    assert.throws(() => parseMinimumMarginPercent('100'), /at least 0 and below 100, got "100"/);
    assert.throws(
      () => parseMinimumMarginPercent('x'),
      /must be a decimal between 0 and 100, got "x"/,
    );
  });
});
