import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

/**
 * Invalid canonical scalars are the caller's mistake: the gateway refuses them while resolving
 * the operation (gateway/validation/canonical-scalars.ts, the subgraphs' own rules) with 400
 * BAD_USER_INPUT naming the argument or variable, never INTERNAL_SERVER_ERROR, an internal URL
 * or a logged stack trace. (A subgraph's own refusal, should one get through, is passed on the
 * same way: test/unit/gateway/validation/subgraph-input-errors.test.ts.)
 */
describe('invalid canonical scalars: 400 BAD_USER_INPUT at the gateway', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 10, locations: 2, vendors: 1 });
  });
  after(async () => stack?.close());

  const cases: [
    string,
    string,
    Record<string, unknown> | undefined,
    RegExp,
    Record<string, unknown>,
  ][] = [
    [
      'a DateTime literal',
      '{ promotions(filter: { liveAt: "nope" }) { edges { cursor } } }',
      undefined,
      /^Argument "filter" of "Query.promotions" has an invalid value at "filter.liveAt"; DateTime "nope" is not valid: expected an RFC 3339 date-time with offset/,
      { argument: 'Query.promotions(filter:)', path: 'filter.liveAt' },
    ],
    [
      'a DateTime variable',
      'query($f: PromotionFilter) { promotions(filter: $f) { edges { cursor } } }',
      { f: { liveAt: '2026-02-30T00:00:00Z' } },
      /^Variable "\$f" got invalid value at "f.liveAt"; DateTime "2026-02-30T00:00:00Z" is not valid/,
      { variable: 'f', path: 'f.liveAt' },
    ],
    [
      'a LocalDate literal',
      '{ fundingAgreements(vendorId: "V100001", activeOn: "2026-13-01") { edges { cursor } } }',
      undefined,
      /LocalDate "2026-13-01" is not valid: expected a calendar date YYYY-MM-DD/,
      { argument: 'Query.fundingAgreements(activeOn:)', path: 'activeOn' },
    ],
  ];

  for (const [name, query, variables, message, where] of cases) {
    test(name, async () => {
      const logged: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void logged.push(args);
      let res: Awaited<ReturnType<TestStack['query']>>;
      try {
        res = await stack.query(query, variables);
      } finally {
        console.error = original;
      }
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.errors?.length, 1);
      const error = res.body.errors![0]!;
      assert.match(error.message, message);
      assert.deepEqual(error.extensions, { code: 'BAD_USER_INPUT', ...where });
      assert.doesNotMatch(JSON.stringify(res.body), /127\.0\.0\.1|stack/);
      assert.deepEqual(logged, []);
    });
  }
});
