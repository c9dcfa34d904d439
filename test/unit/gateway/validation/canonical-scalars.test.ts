import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Supergraph } from '@apollo/federation-internals';
import {
  getOperationAST,
  GraphQLError,
  isScalarType,
  isSpecifiedScalarType,
  parse,
  validate,
  type GraphQLSchema,
} from 'graphql';
import { stripSecurityFeatures } from '../../../../gateway/security/supergraph-security.ts';
import {
  CANONICAL_SCALARS,
  scalarInputErrors,
} from '../../../../gateway/validation/canonical-scalars.ts';

/** The gateway's API schema, as Apollo Server validates requests against it. */
const schema: GraphQLSchema = Supergraph.build(
  stripSecurityFeatures(readFileSync('contracts/supergraph.graphql', 'utf8')),
)
  .apiSchema()
  .toGraphQLJSSchema();

const VALID_DRAFT = {
  name: 'Week',
  offer: { kind: 'PERCENT_OFF', percentOff: '10' },
  scope: { skus: ['SKU000001'] },
  eligibility: { channels: ['ECOMMERCE'] },
  window: {
    startsAt: '2026-11-27T08:00:00Z',
    endsAt: '2026-12-01T08:00:00+01:00',
    timeZone: 'Europe/Berlin',
  },
  stacking: { mode: 'STACKABLE', priority: 1 },
};

/** Errors of `source` as plain data (message, extensions without `http`, locations). */
function check(source: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(source);
  assert.deepEqual(validate(schema, document), [], 'fixture documents must be valid');
  const operation = getOperationAST(document, operationName)!;
  return scalarInputErrors(schema, document, operation, variables).map((error) => {
    assert.ok(error instanceof GraphQLError);
    assert.deepEqual(error.extensions.http, { status: 400 });
    const { http: _http, ...extensions } = error.extensions;
    return { message: error.message, extensions, locations: error.locations };
  });
}

describe('scalarInputErrors: canonical scalars checked at the gateway', () => {
  test('knows every custom scalar of the API schema', () => {
    const custom = Object.values(schema.getTypeMap())
      .filter((t) => isScalarType(t) && !isSpecifiedScalarType(t) && !t.name.startsWith('_'))
      .map((t) => t.name)
      .sort();
    assert.deepEqual(custom, ['CurrencyCode', 'DateTime', 'Decimal', 'LocalDate', 'TimeZone']);
    assert.deepEqual([...CANONICAL_SCALARS.keys()].sort(), custom);
  });

  test('valid literals and variables: no errors', () => {
    assert.deepEqual(
      check(`query($at: DateTime, $d: LocalDate = "2026-02-28") {
        promotions(filter: { liveAt: "2026-11-27T08:00:00.123+05:30" }) { edges { cursor } }
        eligiblePromotions(channel: ECOMMERCE, storeId: "S1", skus: [], at: $at) { sku }
        fundingAgreements(vendorId: "V1", activeOn: $d) { edges { cursor } }
      }`),
      [],
    );
    assert.deepEqual(
      check(
        'mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { eventCursor } }',
        { input: VALID_DRAFT },
      ),
      [],
    );
  });

  test('an argument literal, nested in an input object', () => {
    assert.deepEqual(check('{ promotions(filter: { liveAt: "nope" }) { edges { cursor } } }'), [
      {
        message:
          'Argument "filter" of "Query.promotions" has an invalid value at "filter.liveAt"; ' +
          'DateTime "nope" is not valid: expected an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00Z',
        extensions: {
          code: 'BAD_USER_INPUT',
          argument: 'Query.promotions(filter:)',
          path: 'filter.liveAt',
        },
        locations: [{ line: 1, column: 32 }],
      },
    ]);
  });

  test('literals of the wrong kind, in lists and in nested input objects', () => {
    const errors = check(`mutation {
      createPromotionDraft(input: {
        name: "x", currency: "eur", vendorSharePercent: 1.5e3
        offer: { kind: AMOUNT_OFF, amountOff: { amount: "1e3", currency: EUR } }
        scope: { skus: ["A"] }, eligibility: { channels: [ECOMMERCE] }
        window: { startsAt: 5, endsAt: "2026-02-30T00:00:00Z", timeZone: "Mars/Olympus" }
        stacking: { mode: STACKABLE, priority: 1 }
      }) { eventCursor }
    }`);
    assert.deepEqual(
      errors.map((e) => [e.extensions.path, e.message.replace(/^.*; /, '')]),
      [
        [
          'input.currency',
          'CurrencyCode "eur" is not valid: expected an ISO 4217 code such as EUR',
        ],
        [
          'input.vendorSharePercent',
          'Decimal "1.5e3" is not valid: expected a decimal string such as "19.99"',
        ],
        [
          'input.offer.amountOff.amount',
          'Decimal "1e3" is not valid: expected a decimal string such as "19.99"',
        ],
        [
          'input.window.startsAt',
          'DateTime "5" is not valid: expected an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00Z',
        ],
        [
          'input.window.endsAt',
          'DateTime "2026-02-30T00:00:00Z" is not valid: expected an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00Z',
        ],
        [
          'input.window.timeZone',
          'TimeZone "Mars/Olympus" is not valid: expected an IANA time zone such as Europe/Berlin',
        ],
      ],
    );
  });

  test('variable values per their declared types, with the path inside the variable', () => {
    const errors = check(
      'mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { eventCursor } }',
      {
        input: {
          ...VALID_DRAFT,
          offer: {
            kind: 'BUNDLE',
            bundle: {
              components: [{ sku: 'A', quantity: 1 }],
              bundlePrice: { amount: 19.99, currency: 'EURO' },
            },
          },
          window: { ...VALID_DRAFT.window, startsAt: '2026-11-27 08:00' },
        },
      },
    );
    assert.deepEqual(errors, [
      {
        message:
          'Variable "$input" got invalid value at "input.offer.bundle.bundlePrice.amount"; ' +
          'Decimal must be a string (a decimal string such as "19.99")',
        extensions: {
          code: 'BAD_USER_INPUT',
          variable: 'input',
          path: 'input.offer.bundle.bundlePrice.amount',
        },
        locations: [{ line: 1, column: 10 }],
      },
      {
        message:
          'Variable "$input" got invalid value at "input.offer.bundle.bundlePrice.currency"; ' +
          'CurrencyCode "EURO" is not valid: expected an ISO 4217 code such as EUR',
        extensions: {
          code: 'BAD_USER_INPUT',
          variable: 'input',
          path: 'input.offer.bundle.bundlePrice.currency',
        },
        locations: [{ line: 1, column: 10 }],
      },
      {
        message:
          'Variable "$input" got invalid value at "input.window.startsAt"; ' +
          'DateTime "2026-11-27 08:00" is not valid: expected an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00Z',
        extensions: { code: 'BAD_USER_INPUT', variable: 'input', path: 'input.window.startsAt' },
        locations: [{ line: 1, column: 10 }],
      },
    ]);
  });

  test('lists of scalars, a single value for a list, and default values', () => {
    const errors = check(
      `query($at: DateTime = "yesterday", $d: LocalDate) {
        a: eligiblePromotions(channel: ECOMMERCE, storeId: "S", skus: [], at: $at) { sku }
        fundingAgreements(vendorId: "V1", activeOn: $d) { edges { cursor } }
      }`,
      { d: '2026-02-29' },
    );
    assert.deepEqual(
      errors.map((e) => e.message),
      [
        'Default value of variable "$at" is invalid at "at"; DateTime "yesterday" is not valid: expected an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00Z',
        'Variable "$d" got invalid value at "d"; LocalDate "2026-02-29" is not valid: expected a calendar date YYYY-MM-DD',
      ],
    );
  });

  test('only the selected operation, and every fragment it spreads', () => {
    const source = `
      query A { ...Q }
      query B { promotions(filter: { liveAt: "b" }) { edges { cursor } } }
      fragment Q on Query { ...R promotions(filter: { liveAt: "q" }) { edges { ...E } } }
      fragment R on Query { eligiblePromotions(channel: ECOMMERCE, storeId: "S", skus: [], at: "r") { sku } }
      fragment E on PromotionEdge { node { audit(first: 1) { edges { node { at } } } } }
    `;
    assert.deepEqual(
      check(source, undefined, 'A').map((e) => e.extensions.path),
      ['filter.liveAt', 'at'],
    );
    assert.deepEqual(
      check(source, undefined, 'B').map((e) => e.extensions.argument),
      ['Query.promotions(filter:)'],
    );
  });

  test('variables without a value, null values, absent fields and prototype names pass', () => {
    assert.deepEqual(
      check(
        'query($f: PromotionFilter, $g: PromotionFilter) { a: promotions(filter: $f) { edges { cursor } } b: promotions(filter: $g) { edges { cursor } } }',
        {
          g: JSON.parse('{"__proto__": {"liveAt": "x"}, "constructor": "y", "liveAt": null}'),
        },
      ),
      [],
    );
  });

  test('wrong shapes are left to graphql-js variable coercion', () => {
    assert.deepEqual(
      check('query($f: PromotionFilter) { promotions(filter: $f) { edges { cursor } } }', {
        f: 'not an object',
      }),
      [],
    );
  });

  test('linear: a fragment spread twice per level is walked once per fragment', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { promotions(filter: { liveAt: "bad" }) { edges { cursor } } }`
        : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    const document = parse(`query { ...F0 } ${fragments.join('\n')}`);
    const started = performance.now();
    const errors = scalarInputErrors(schema, document, getOperationAST(document)!, {});
    assert.ok(performance.now() - started < 1000);
    assert.equal(errors.length, 1);
  });

  test('at most maxErrors errors', () => {
    const fields = Array.from(
      { length: 10 },
      (_, i) => `p${i}: promotions(filter: { liveAt: "x" }) { edges { cursor } }`,
    );
    const document = parse(`{ ${fields.join(' ')} }`);
    const operation = getOperationAST(document)!;
    assert.equal(scalarInputErrors(schema, document, operation, {}).length, 10);
    assert.equal(scalarInputErrors(schema, document, operation, {}, { maxErrors: 2 }).length, 2);
  });
});
