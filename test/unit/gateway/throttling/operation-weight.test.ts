import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getOperationAST, parse } from 'graphql';
import {
  countSelectedFields,
  weightPoints,
} from '../../../../gateway/throttling/operation-weight.ts';

const weigh = (source: string, operationName?: string) => {
  const document = parse(source);
  const operation = getOperationAST(document, operationName)!;
  return countSelectedFields({ document, operation });
};

describe('operation weight: number of selected fields', () => {
  test('counts every field, __typename included', () => {
    assert.equal(weigh('{ __typename }'), 1);
    assert.equal(weigh('{ a { b c } }'), 3);
    assert.equal(weigh('{ x: a { b } y: a { b __typename } }'), 5);
  });

  test('expands fragments where they are spread, and inline fragments', () => {
    assert.equal(weigh('{ a { ...F } a2: a { ...F ... on A { c } } } fragment F on A { b c }'), 7);
  });

  test('counts only the selected operation', () => {
    const source = 'query One { a { b } } query Two { a { b c a { b } } }';
    assert.equal(weigh(source, 'One'), 2);
    assert.equal(weigh(source, 'Two'), 5);
  });

  test('nested spreads multiply without being walked again', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on A { b }`
        : `fragment F${i} on A { a { ...F${i + 1} } a2: a { ...F${i + 1} } }`,
    ).join('\n');
    // 2 fields per level doubling: f(last) = 1, f(i) = 2 + 2 f(i+1)
    let expected = 1;
    for (let i = levels - 2; i >= 0; i--) expected = 2 + 2 * expected;
    assert.equal(weigh(`{ a { ...F0 } } ${fragments}`), 1 + expected);
  });

  test('unknown and cyclic fragments count 0 (validation refuses them first)', () => {
    assert.equal(weigh('{ a { ...Missing b } }'), 2);
    assert.equal(weigh('{ a { ...F } } fragment F on A { b a { ...F } }'), 3);
  });

  test('weights become whole points of at least 1', () => {
    assert.equal(weightPoints(0), 1);
    assert.equal(weightPoints(2.2), 3);
    assert.equal(weightPoints(Number.POSITIVE_INFINITY), Number.MAX_SAFE_INTEGER);
    assert.equal(weightPoints(2 ** 60), Number.MAX_SAFE_INTEGER);
  });
});
