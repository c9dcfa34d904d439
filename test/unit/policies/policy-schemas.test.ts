import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SALES_CHANNELS } from '../../../contracts/canonical/sales-channels.ts';
import { loadAuthPolicy } from '../../../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../../../policies/authorization-policy.ts';
import { PolicyError } from '../../../policies/load-policy.ts';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import { loadThrottlingPolicy } from '../../../policies/throttling-policy.ts';

/**
 * Each policy file's JSON Schema, one rule class at a time (missing field, wrong type, unknown
 * key, value not allowed, out of range, duplicate, name pattern), always as `file:line: field:
 * problem`; and what ajv's allErrors and defaults add: every problem at once, in file order.
 */
const AUTH = `issuer: https://auth.example
audiences: [graph]
algorithms: [RS256]
jwks:
  file: keys.json
tokenClasses:
  channel-app:
    requiredClaims: [channel]
`;
const AUTHORIZATION = `policies:
  internal-only:
    tokenClasses: [internal]
introspection:
  anonymous: false
`;
const LIMITS = '{ tokens: 1, depth: 1, aliases: 1, rootFields: 1, directives: 1, cost: 1 }';
const OPERATIONS = `limits:
  anonymous: ${LIMITS}
  tokenClasses: {}
cost:
  listSizes:
    Query.things: { assumedSize: 5 }
trustedDocuments:
  apq: { tokenClasses: ['*'] }
`;
const THROTTLING = `windowSeconds: 60
channels:
${[...SALES_CHANNELS, 'partner', 'internal', 'anonymous']
  .map((name) => `  ${name}: { points: 10, mutationPoints: 1 }`)
  .join('\n')}
partners:
  default: { points: 10, mutationPoints: 1 }
`;

const loaders = {
  auth: loadAuthPolicy,
  authorization: (file: string) => loadAuthorizationPolicy(file),
  operations: (file: string) => loadOperationsPolicy(file),
  throttling: loadThrottlingPolicy,
};
const bases = {
  auth: AUTH,
  authorization: AUTHORIZATION,
  operations: OPERATIONS,
  throttling: THROTTLING,
};
type Policy = keyof typeof loaders;

const dir = mkdtempSync(join(tmpdir(), 'policy-schemas-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function write(text: string): string {
  const file = join(dir, `policy-${++count}.yaml`);
  writeFileSync(file, text);
  return file;
}
function edit(policy: Policy, from: string, to: string): string {
  assert.ok(bases[policy].includes(from), `the ${policy} base contains ${from}`);
  return bases[policy].replace(from, to);
}
/** Asserts the loader refuses `text` with exactly these lines, each after `<file>:`. */
function refuses(policy: Policy, text: string, ...lines: string[]): void {
  const file = write(text);
  assert.throws(
    () => loaders[policy](file),
    (error: unknown) => {
      assert.ok(error instanceof PolicyError);
      assert.equal(error.message, lines.map((line) => `${file}:${line}`).join('\n'));
      return true;
    },
  );
}

describe('policy files: each JSON Schema rule class names file, line and field', () => {
  test('the bases are valid', () => {
    for (const policy of Object.keys(loaders) as Policy[]) {
      assert.doesNotThrow(() => loaders[policy](write(bases[policy])), policy);
    }
  });

  // [policy, rule class, file text, `line: field: problem`]
  // prettier-ignore
  const cases: [Policy, string, string, string][] = [
    // missing field
    ['auth', 'missing field', edit('auth', 'algorithms: [RS256]\n', ''), '1: algorithms: missing required field'],
    ['authorization', 'missing field', edit('authorization', '    tokenClasses: [internal]', '    description: x'), '2: policies.internal-only.tokenClasses: missing required field'],
    ['operations', 'missing field', edit('operations', '  tokenClasses: {}\n', ''), '1: limits.tokenClasses: missing required field'],
    ['throttling', 'missing field', edit('throttling', '  default: { points: 10, mutationPoints: 1 }', '  default: { points: 10 }'), `${SALES_CHANNELS.length + 7}: partners.default.mutationPoints: missing required field`],
    ['throttling', 'missing sales channel', edit('throttling', '  POS: { points: 10, mutationPoints: 1 }\n', ''), '2: channels.POS: missing required field: every sales channel (contracts/canonical/sales-channels.ts) needs its own budget'],
    // wrong type
    ['auth', 'wrong type (list)', edit('auth', '[graph]', 'graph'), '2: audiences: expected a list'],
    ['auth', 'wrong type (mapping)', edit('auth', '  file: keys.json', '  - keys.json'), '4: jwks: expected a mapping'],
    ['authorization', 'wrong type (boolean)', edit('authorization', 'anonymous: false', 'anonymous: 0'), '5: introspection.anonymous: expected true or false, got 0'],
    ['operations', 'wrong type (integer)', edit('operations', 'assumedSize: 5', 'assumedSize: 2.5'), '6: cost.listSizes.Query.things.assumedSize: expected an integer from 0 to 1000000000, got 2.5'],
    ['throttling', 'wrong type (integer)', edit('throttling', 'windowSeconds: 60', 'windowSeconds: soon'), '1: windowSeconds: expected an integer from 1 to 86400, got "soon"'],
    ['auth', 'wrong type (string)', edit('auth', 'file: keys.json', 'file: 42'), '5: jwks.file: expected a non-empty string'],
    // unknown key
    ['auth', 'unknown key', edit('auth', '  file: keys.json', '  file: keys.json\n  path: x'), '6: jwks.path: unknown field (allowed: file, url, cacheSeconds)'],
    ['authorization', 'unknown key', `${AUTHORIZATION}overrides: {}\n`, '6: overrides: unknown field (allowed: policies, introspection)'],
    ['operations', 'unknown key', edit('operations', 'apq:', 'apqs:'), '8: trustedDocuments.apqs: unknown field (allowed: requiredFor, apq)'],
    ['throttling', 'unknown key', edit('throttling', 'partners:', 'partners:\n  kiosk: {}'), `${SALES_CHANNELS.length + 7}: partners.kiosk: unknown field (allowed: default, overrides)`],
    // a value outside the allowed ones
    ['auth', 'bad enum value (algorithm)', edit('auth', '[RS256]', '[RS256, PS256]'), '3: algorithms[1]: expected one of RS256, ES256, got "PS256"'],
    ['auth', 'bad enum value (claim)', edit('auth', '[channel]', '[store]'), '8: tokenClasses.channel-app.requiredClaims[0]: expected one of channel, partner_id, vendor_id, got "store"'],
    ['auth', 'bad enum value (sales channel)', edit('auth', '[channel]\n', `[channel]\n    allowedValues: { channel: [${SALES_CHANNELS[0]}, FAX] }\n`), `9: tokenClasses.channel-app.allowedValues.channel[1]: expected one of ${SALES_CHANNELS.join(', ')}, got "FAX"`],
    // range, duplicates, empty lists, name patterns
    ['throttling', 'out of range', edit('throttling', 'partners:\n', 'subscriptions: { perClient: 10001 }\npartners:\n'), `${SALES_CHANNELS.length + 6}: subscriptions.perClient: expected an integer from 1 to 10000, got 10001`],
    ['operations', 'out of range', edit('operations', 'tokens: 1,', 'tokens: 0,'), '2: limits.anonymous.tokens: expected an integer from 1 to 1000000000, got 0'],
    ['authorization', 'duplicate entry', edit('authorization', '[internal]', '[internal, internal]'), '3: policies.internal-only.tokenClasses[1]: duplicate entry "internal"'],
    ['auth', 'empty list', edit('auth', '[graph]', '[]'), '2: audiences: expected at least one entry'],
    ['authorization', 'name pattern', edit('authorization', 'internal-only:', 'Internal:'), '2: policies.Internal: expected a lowercase name (a-z, 0-9, :, -)'],
    ['operations', 'name pattern', edit('operations', 'Query.things', 'things'), '6: cost.listSizes.things: expected a schema coordinate Type.field'],
    // the rules after the schema keep the same form
    ['auth', 'one of file or url', edit('auth', '  file: keys.json', '  cacheSeconds: 60'), '4: jwks: expected exactly one of file (development) or url (production)'],
    ['operations', 'list size sizes nothing', edit('operations', '{ assumedSize: 5 }', '{ sizedFields: [edges] }'), '6: cost.listSizes.Query.things: expected assumedSize or slicingArguments'],
    ['throttling', 'mutation budget above points', edit('throttling', '  internal: { points: 10, mutationPoints: 1 }', '  internal: { points: 10, mutationPoints: 11 }'), `${SALES_CHANNELS.length + 4}: channels.internal.mutationPoints: expected at most points (10): the mutation budget is the lower one, got 11`],
  ];
  for (const [policy, rule, text, message] of cases) {
    test(`${policy}: ${rule}`, () => refuses(policy, text, message));
  }

  test('every problem the schema finds is reported at once, one line each, in file order', () => {
    refuses(
      'auth',
      `${edit('auth', 'issuer: https://auth.example', 'issuer: ""').replace('[RS256]', '[HS256]')}maxTokenBytes: 1\nextra: true\n`,
      '1: issuer: expected a non-empty string',
      '3: algorithms[0]: expected one of RS256, ES256, got "HS256"',
      '9: maxTokenBytes: expected an integer from 512 to 16384, got 1',
      '10: extra: unknown field (allowed: issuer, audiences, algorithms, jwks, tokenClasses, clockSkewSeconds, maxTokenBytes, allowHs256ForDevelopment)',
    );
  });

  test('the rules after the schema run only on a file the schema admits', () => {
    // The mutation budget is above the points, but the schema problem is the one reported.
    refuses(
      'throttling',
      edit(
        'throttling',
        '  internal: { points: 10, mutationPoints: 1 }',
        '  internal: { points: 10, mutationPoints: 11, burst: 2 }',
      ),
      `${SALES_CHANNELS.length + 4}: channels.internal.burst: unknown field (allowed: points, mutationPoints, perClient)`,
    );
  });

  test('defaults are filled in from the schema, a fresh copy for every load', () => {
    const first = loadOperationsPolicy(write(OPERATIONS));
    assert.deepEqual(first.cost, {
      objectCost: 1,
      leafCost: 0,
      mutationCost: 10,
      listSize: 10,
      fields: {},
      listSizes: {
        'Query.things': {
          assumedSize: 5,
          slicingArguments: [],
          sizedFields: [],
          requireOneSlicingArgument: true,
        },
      },
    });
    assert.deepEqual(first.trustedDocuments, {
      requiredFor: { tokenClasses: [], anonymous: false },
      apq: { tokenClasses: ['*'], anonymous: false },
    });
    // A default is a fresh value in every loaded policy, never one shared object.
    loadOperationsPolicy(write(OPERATIONS)).trustedDocuments.requiredFor.tokenClasses.push('x');
    const again = loadOperationsPolicy(write(OPERATIONS));
    assert.deepEqual(again.trustedDocuments.requiredFor.tokenClasses, []);
    assert.deepEqual(loadThrottlingPolicy(write(THROTTLING)).subscriptions, { perClient: 20 });
    assert.deepEqual(loadAuthorizationPolicy(write('{}\n')).introspection, {
      tokenClasses: ['internal'],
      anonymous: false,
    });
  });
});
