import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fieldCoordinates } from '../../../../gateway/limits/cost-directives.ts';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';
import {
  appliesTo,
  limitsFor,
  loadOperationsPolicy,
} from '../../../../policies/operations-policy.ts';

const knownTokenClasses = Object.keys(loadAuthPolicy('policies/auth.yaml').tokenClasses);
const knownFields = fieldCoordinates(readFileSync('contracts/supergraph.graphql', 'utf8'));
const directory = mkdtempSync(join(tmpdir(), 'operations-policy-unit-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const LIMITS = '{ tokens: 10, depth: 2, aliases: 3, rootFields: 4, directives: 5, cost: 6 }';
const VALID = `limits:
  anonymous: ${LIMITS}
  tokenClasses:
    channel-app: ${LIMITS}
    partner: ${LIMITS}
    internal: ${LIMITS}
`;

let count = 0;
function load(text: string, withFields = false) {
  const file = join(directory, `operations-${(count += 1)}.yaml`);
  writeFileSync(file, text);
  return {
    file,
    load: () =>
      loadOperationsPolicy(file, { knownTokenClasses, ...(withFields ? { knownFields } : {}) }),
  };
}

function refused(text: string, message: (file: string) => string, withFields = false): void {
  const { file, load: run } = load(text, withFields);
  assert.throws(run, (error: unknown) => {
    assert.equal((error as Error).message, message(file));
    return true;
  });
}

describe('policies/operations.yaml', () => {
  test('the committed file is valid; its cost coordinates exist in the supergraph', () => {
    const policy = loadOperationsPolicy('policies/operations.yaml', {
      knownTokenClasses,
      knownFields,
    });
    assert.deepEqual(limitsFor(policy, 'partner'), {
      tokens: 2000,
      depth: 8,
      aliases: 10,
      rootFields: 5,
      directives: 10,
      cost: 1000,
    });
    assert.deepEqual(limitsFor(policy, undefined), policy.limits.anonymous);
    assert.deepEqual(limitsFor(policy, 'no-such-class'), policy.limits.anonymous);
    assert.equal(appliesTo(policy.trustedDocuments.requiredFor, 'partner'), true);
    assert.equal(appliesTo(policy.trustedDocuments.requiredFor, undefined), false);
    assert.equal(appliesTo(policy.trustedDocuments.apq, 'channel-app'), true);
    assert.equal(appliesTo(policy.trustedDocuments.apq, 'partner'), false);
  });

  test('defaults: cost model and trusted-document rules', () => {
    const policy = load(VALID).load();
    assert.deepEqual(policy.cost, {
      objectCost: 1,
      leafCost: 0,
      mutationCost: 10,
      listSize: 10,
      fields: {},
      listSizes: {},
    });
    assert.deepEqual(policy.trustedDocuments, {
      requiredFor: { tokenClasses: [], anonymous: false },
      apq: { tokenClasses: ['*'], anonymous: true },
    });
  });

  test('errors name the file, the line and the field', () => {
    refused(
      VALID.replace('partner: { tokens: 10,', 'partner: {'),
      (file) => `${file}:5: limits.tokenClasses.partner.tokens: missing required field`,
    );
    refused(
      VALID.replace('internal: { tokens: 10, depth: 2', 'internal: { tokens: 10, depth: 0'),
      (file) =>
        `${file}:6: limits.tokenClasses.internal.depth: expected an integer from 1 to 1000000000, got 0`,
    );
    refused(
      VALID.replace('    internal:', '    robots:'),
      (file) =>
        `${file}:6: limits.tokenClasses.robots: unknown token class "robots" (policies/auth.yaml has: ${knownTokenClasses.join(', ')})`,
    );
    refused(
      VALID.replace(/ {4}internal:.*\n/, ''),
      (file) => `${file}:3: limits.tokenClasses: missing limits for token class(es) internal`,
    );
    refused(
      VALID.replace('anonymous: {', 'anonymous: { size: 1,'),
      (file) =>
        `${file}:2: limits.anonymous.size: unknown field (allowed: tokens, depth, aliases, rootFields, directives, cost)`,
    );
    refused(
      `${VALID}cost:\n  listSizes:\n    Query.promotions: { sizedFields: [edges] }\n`,
      (file) =>
        `${file}:9: cost.listSizes.Query.promotions: expected assumedSize or slicingArguments`,
    );
    refused(
      `${VALID}cost:\n  fields:\n    Query.nope: 3\n`,
      (file) => `${file}:9: cost.fields.Query.nope: Query.nope is not a field of the supergraph`,
      true,
    );
    refused(
      `${VALID}trustedDocuments:\n  requiredFor: { tokenClasses: [partners] }\n`,
      (file) =>
        `${file}:8: trustedDocuments.requiredFor.tokenClasses[0]: unknown token class "partners" (policies/auth.yaml has: ${knownTokenClasses.join(', ')})`,
    );
  });
});
