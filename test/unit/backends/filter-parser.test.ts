import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter } from '../../../backends/odata/filter-parser.ts';
import {
  compileFilter,
  extractConstraints,
  UnknownPropertyError,
} from '../../../backends/odata/filter-eval.ts';
import { FilterSyntaxError } from '../../../backends/odata/filter-ast.ts';
import type { EdmType } from '../../../backends/odata/edm.ts';

const props: Record<string, EdmType> = {
  Material: 'String',
  Plant: 'String',
  Rate: 'Decimal',
  Valid: 'DateTime',
  Deleted: 'Boolean',
};
const matches = (filter: string, row: Record<string, unknown>): boolean =>
  compileFilter(parseFilter(filter), props, 'T')(row);

describe('filter parser', () => {
  test('and binds tighter than or', () => {
    assert.deepEqual(parseFilter("A eq 'x' or B eq 'y' and C eq 'z'"), {
      kind: 'logical',
      op: 'or',
      left: {
        kind: 'compare',
        op: 'eq',
        left: { kind: 'property', name: 'A' },
        right: { kind: 'literal', type: 'string', value: 'x' },
      },
      right: {
        kind: 'logical',
        op: 'and',
        left: {
          kind: 'compare',
          op: 'eq',
          left: { kind: 'property', name: 'B' },
          right: { kind: 'literal', type: 'string', value: 'y' },
        },
        right: {
          kind: 'compare',
          op: 'eq',
          left: { kind: 'property', name: 'C' },
          right: { kind: 'literal', type: 'string', value: 'z' },
        },
      },
    });
  });

  test('parentheses override precedence', () => {
    const row = { Material: 'A', Plant: 'P2' };
    assert.equal(matches("Material eq 'A' or Material eq 'B' and Plant eq 'P1'", row), true);
    assert.equal(matches("(Material eq 'A' or Material eq 'B') and Plant eq 'P1'", row), false);
  });

  test("string literals unescape '' to a single quote", () => {
    assert.deepEqual(parseFilter("Material eq 'O''Brien'''"), {
      kind: 'compare',
      op: 'eq',
      left: { kind: 'property', name: 'Material' },
      right: { kind: 'literal', type: 'string', value: "O'Brien'" },
    });
  });

  test('datetime and datetimeoffset literals compare with DateTime values', () => {
    const row = { Valid: Date.UTC(2026, 0, 1) };
    assert.equal(matches("Valid eq datetime'2026-01-01T00:00:00'", row), true);
    assert.equal(matches("Valid lt datetimeoffset'2026-01-01T00:30:00+01:00'", row), false);
    assert.equal(matches("Valid ge datetime'2025-12-31T23:59'", row), true);
    assert.throws(() => parseFilter("Valid eq datetime'2026-1-1'"), FilterSyntaxError);
  });

  test('decimal comparisons are numeric, booleans and not work', () => {
    const row = { Rate: '19.990', Deleted: false, Material: 'SKU000123' };
    assert.equal(matches('Rate gt 9.5', row), true);
    assert.equal(matches('Rate le 19.99M', row), true);
    assert.equal(matches('Deleted eq false and not (Rate lt 10)', row), true);
    assert.equal(matches("substringof('0001',Material) and startswith(Material,'SKU')", row), true);
    assert.equal(matches("not substringof('999',Material)", row), true);
  });

  test("'in' is refused in v2 with a clear message and accepted in v4", () => {
    assert.throws(
      () => parseFilter("Material in ('A','B')"),
      (e: unknown) =>
        e instanceof FilterSyntaxError &&
        e.code === 'IN_NOT_SUPPORTED' &&
        e.message ===
          "Operator 'in' is not supported in OData V2 $filter; use (Field eq 'a' or Field eq 'b')",
    );
    const v4 = parseFilter("Material in ('A','B')", { v4: true });
    assert.equal(compileFilter(v4, props, 'T')({ Material: 'B' }), true);
  });

  test('syntax errors and unknown properties are reported', () => {
    assert.throws(() => parseFilter("Material eq 'A"), /Unterminated string literal/);
    assert.throws(() => parseFilter("Material eq 'A' and"), /unexpected end of expression/);
    assert.throws(() => parseFilter("(Material eq 'A'"), /expected '\)'/);
    assert.throws(
      () => compileFilter(parseFilter("Nope eq 'A'"), props, 'A_ProductType'),
      (e: unknown) =>
        e instanceof UnknownPropertyError &&
        e.message === "Property 'Nope' is not defined in type 'A_ProductType'",
    );
  });

  test('equality sets are extracted from or-chains combined with and', () => {
    const c = extractConstraints(
      parseFilter(
        "(Material eq 'A' or Material eq 'B') and (Plant eq 'X' or Plant eq 'Y') and Rate gt 1",
      ),
    );
    assert.deepEqual([...c.get('Material')!], ['A', 'B']);
    assert.deepEqual([...c.get('Plant')!], ['X', 'Y']);
    assert.equal(extractConstraints(parseFilter("Material eq 'A' or Plant eq 'X'")).size, 0);
  });
});
