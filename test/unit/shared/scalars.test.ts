import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kind } from 'graphql';
import {
  CurrencyCodeScalar,
  DateTimeScalar,
  DecimalScalar,
  LocalDateScalar,
  TimeZoneScalar,
} from '../../../contracts/canonical/scalars.ts';

describe('canonical scalars', () => {
  test('DateTime normalises to UTC and refuses values without an offset', () => {
    assert.equal(
      DateTimeScalar.parseValue('2026-11-27T09:00:00+01:00'),
      '2026-11-27T08:00:00.000Z',
    );
    assert.throws(
      () => DateTimeScalar.parseValue('2026-11-27T09:00:00'),
      /DateTime "2026-11-27T09:00:00" is not valid: expected an RFC 3339 date-time with offset/,
    );
    assert.throws(() => DateTimeScalar.parseValue('2026-02-30T00:00:00Z'), /is not valid/);
  });

  test('LocalDate refuses impossible dates', () => {
    assert.equal(LocalDateScalar.parseValue('2026-02-28'), '2026-02-28');
    assert.throws(
      () => LocalDateScalar.parseValue('2026-02-30'),
      /LocalDate "2026-02-30" is not valid/,
    );
  });

  test('Decimal accepts decimal strings only', () => {
    assert.equal(DecimalScalar.parseValue('19.99'), '19.99');
    assert.equal(DecimalScalar.parseLiteral({ kind: Kind.STRING, value: '-0.5' }), '-0.5');
    assert.throws(() => DecimalScalar.parseValue(19.99), /Decimal must be a string/);
    assert.throws(() => DecimalScalar.parseValue('1e5'), /Decimal "1e5" is not valid/);
  });

  test('CurrencyCode and TimeZone', () => {
    assert.equal(CurrencyCodeScalar.parseValue('EUR'), 'EUR');
    assert.throws(() => CurrencyCodeScalar.parseValue('eur'), /CurrencyCode "eur" is not valid/);
    assert.equal(TimeZoneScalar.parseValue('Europe/Berlin'), 'Europe/Berlin');
    assert.throws(
      () => TimeZoneScalar.parseValue('Mars/Olympus'),
      /TimeZone "Mars\/Olympus" is not valid/,
    );
  });

  test('errors carry BAD_USER_INPUT', () => {
    try {
      DateTimeScalar.parseValue('nope');
      assert.fail('should throw');
    } catch (error) {
      assert.equal((error as { extensions: { code: string } }).extensions.code, 'BAD_USER_INPUT');
    }
  });
});
