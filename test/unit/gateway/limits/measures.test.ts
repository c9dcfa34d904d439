import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { FragmentCycleError } from '../../../../gateway/limits/fragment-memo.ts';
import { measureAliases } from '../../../../gateway/limits/measure-aliases.ts';
import { measureDepth } from '../../../../gateway/limits/measure-depth.ts';
import { measureDirectives } from '../../../../gateway/limits/measure-directives.ts';
import { measureRootFields } from '../../../../gateway/limits/measure-root-fields.ts';
import { measureTokens } from '../../../../gateway/limits/measure-tokens.ts';

/** Measures of unvalidated documents (the measures must not rely on validation). */
function measure(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return {
    depth: () => measureDepth(document, operation),
    aliases: () => measureAliases(document, operation),
    rootFields: () => measureRootFields(document, operation),
    directives: () => measureDirectives(document, operation),
  };
}

/** F0 spreads F1 twice, ..., F(n-1) holds `leaf`: the expansion is 2^(n-1) copies of leaf. */
function fragmentBomb(levels: number, leaf: string): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i < levels - 1
      ? `fragment F${i} on T { ...F${i + 1} ...F${i + 1} }`
      : `fragment F${i} on T { ${leaf} }`,
  );
  return `{ t { ...F0 } }\n${fragments.join('\n')}`;
}

describe('measureDepth', () => {
  test('counts field levels; fragments and inline fragments add none', () => {
    assert.equal(measure('{ a }').depth(), 1);
    assert.equal(measure('{ a { b { c } } d }').depth(), 3);
    assert.equal(measure('{ a { ... on T { b { c } } } }').depth(), 3);
    assert.equal(measure('{ a { ...F } } fragment F on T { b { c { d } } }').depth(), 4);
  });

  test('a fragment spread at several depths counts where it is deepest', () => {
    const source = '{ a { ...F } b { c { ...F } } } fragment F on T { x { y } }';
    assert.equal(measure(source).depth(), 4);
  });

  test('cycles are detected and refused, direct or through other fragments', () => {
    assert.throws(
      () => measure('{ a { ...A } } fragment A on T { b { ...A } }').depth(),
      (error: unknown) =>
        error instanceof FragmentCycleError && error.message === 'fragment cycle A → A',
    );
    assert.throws(
      () =>
        measure(
          '{ a { ...A } } fragment A on T { ...B } fragment B on T { c { ...C } } fragment C on T { ...B }',
        ).depth(),
      (error: unknown) => error instanceof FragmentCycleError && error.cycle.join(' ') === 'B C B',
    );
  });

  test('an unknown fragment measures 0 (validation refuses it)', () => {
    assert.equal(measure('{ a { ...Missing } }').depth(), 1);
  });
});

describe('measureAliases', () => {
  test('counts aliased fields at any depth, fragments once per spread', () => {
    assert.equal(measure('{ a: x b: x c { d: y } }').aliases(), 3);
    assert.equal(measure('{ t { ...F ...F } } fragment F on T { a: x b: y }').aliases(), 4);
  });

  test('a 30-level fragment bomb (2^29 aliases) is measured in linear time', () => {
    assert.equal(measure(fragmentBomb(30, 'a: x')).aliases(), 2 ** 29);
  });

  test('cycles are refused', () => {
    assert.throws(
      () => measure('{ t { ...A } } fragment A on T { a: x ...A }').aliases(),
      FragmentCycleError,
    );
  });
});

describe('measureRootFields', () => {
  test('counts root selections through fragments, not nested ones', () => {
    assert.equal(measure('{ a b { c d } __typename }').rootFields(), 3);
    assert.equal(
      measure('query { ...Q ... on Query { x y } } fragment Q on Query { a b { c } }').rootFields(),
      4,
    );
  });
});

describe('measureDirectives', () => {
  test('counts every directive application, fragments once per spread', () => {
    const source =
      'query Q($v: Int @a) @b { x @include(if: true) @skip(if: false) ... on T @c { y @d } ...F @e ...F } ' +
      'fragment F on T @f { z @g }';
    // a, b, include, skip, c, d, e, (f, g) × 2 spreads
    assert.equal(measure(source).directives(), 11);
  });

  test('a directive flood behind a fragment bomb is counted in full', () => {
    assert.equal(measure(fragmentBomb(20, 'x @a @b')).directives(), 2 * 2 ** 19);
  });
});

describe('measureTokens', () => {
  test('counts tokens like parse(..., { maxTokens }): comments and EOF are not tokens', () => {
    assert.equal(measureTokens('{ a }'), 3);
    const source = 'query Q($v: Int = 1) { a(x: $v) @skip(if: false) }';
    assert.equal(measureTokens(source), 26);
    assert.doesNotThrow(() => parse(source, { maxTokens: 26 }));
    assert.throws(() => parse(source, { maxTokens: 25 }), /contains more th[ae][nt] 25 tokens/);
    assert.equal(measureTokens('# just a comment\n{ a } # another'), 3);
  });

  test('stops counting after stopAfter tokens (a flood costs no more than the limit)', () => {
    assert.equal(measureTokens('{ '.repeat(1_000_000), 101), 101);
  });

  test('a lexical error ends the count (the parser reports it)', () => {
    assert.equal(measureTokens('{ a "unterminated'), 2);
  });
});
