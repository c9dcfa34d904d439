import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { stripSecurityFeatures } from '../../../../gateway/security/supergraph-security.ts';

const DIR = 'gateway/tower/app/operations/';

/** The gateway's API schema, as Apollo Server validates requests against it. */
const schema = Supergraph.build(
  stripSecurityFeatures(readFileSync('contracts/supergraph.graphql', 'utf8')),
)
  .apiSchema()
  .toGraphQLJSSchema();

/**
 * The tower's internal operations are sent as text (not trusted documents, which the manifest
 * checks): each must be valid against the supergraph, or its button fails only in a browser.
 */
describe("the control tower's internal operations", () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.graphql'))) {
    test(`${file} is valid against the supergraph`, () => {
      const errors = validate(schema, parse(readFileSync(DIR + file, 'utf8')));
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
      );
    });
  }
});
