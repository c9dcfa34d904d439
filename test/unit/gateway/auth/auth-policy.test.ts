import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';
import { PolicyError } from '../../../../policies/load-policy.ts';
import { SALES_CHANNELS } from '../../../../contracts/canonical/sales-channels.ts';

const BASE = `issuer: https://auth.example
audiences: [graph]
algorithms: [RS256, ES256]
clockSkewSeconds: 30
maxTokenBytes: 8192
jwks:
  file: keys.json
allowHs256ForDevelopment: false
tokenClasses:
  channel-app:
    requiredClaims: [channel]
    allowedValues:
      channel: [ECOMMERCE, MOBILE]
  partner:
    requiredClaims:
      - partner_id
      - vendor_id
  internal:
    requiredClaims: []
`;

const dir = mkdtempSync(join(tmpdir(), 'auth-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function policyFile(text: string): string {
  const file = join(dir, `auth-${++count}.yaml`);
  writeFileSync(file, text);
  return file;
}
const variant = (from: string, to: string) => {
  assert.ok(BASE.includes(from), `BASE contains ${from}`);
  return BASE.replace(from, to);
};

describe('auth policy loader', () => {
  test('loads the committed policies/auth.yaml', () => {
    assert.deepEqual(loadAuthPolicy('policies/auth.yaml'), {
      issuer: 'https://auth.promotions.local',
      audiences: ['promotions-graph'],
      algorithms: ['RS256', 'ES256'],
      clockSkewSeconds: 30,
      maxTokenBytes: 8192,
      keys: { kind: 'file', file: 'policies/dev-keys/jwks.json' },
      allowHs256ForDevelopment: false,
      tokenClasses: {
        'channel-app': {
          requiredClaims: ['channel'],
          allowedValues: { channel: [...SALES_CHANNELS] },
        },
        partner: { requiredClaims: ['partner_id', 'vendor_id'], allowedValues: {} },
        internal: { requiredClaims: [], allowedValues: {} },
      },
    });
  });

  test('a JWKS URL with defaults; optional fields default', () => {
    const text = variant('  file: keys.json', '  url: https://idp.example/jwks.json')
      .replace('clockSkewSeconds: 30\nmaxTokenBytes: 8192\n', '')
      .replace('allowHs256ForDevelopment: false\n', '');
    const policy = loadAuthPolicy(policyFile(text));
    assert.deepEqual(policy.keys, {
      kind: 'url',
      url: 'https://idp.example/jwks.json',
      cacheSeconds: 600,
    });
    assert.equal(policy.clockSkewSeconds, 30);
    assert.equal(policy.maxTokenBytes, 8192);
    assert.equal(policy.allowHs256ForDevelopment, false);
  });

  // [case, file text, message after `<file>:`]
  const bad: [string, string, string][] = [
    [
      'an algorithm outside the allow-list',
      variant('[RS256, ES256]', '[RS256, HS256]'),
      '3: algorithms[1]: expected one of RS256, ES256, got "HS256"',
    ],
    [
      'alg none',
      variant('[RS256, ES256]', '[none]'),
      '3: algorithms[0]: expected one of RS256, ES256, got "none"',
    ],
    ['no algorithm', variant('[RS256, ES256]', '[]'), '3: algorithms: expected at least one entry'],
    [
      'an unknown required claim',
      variant('      - partner_id', '      - partner'),
      '16: tokenClasses.partner.requiredClaims[0]: expected one of channel, partner_id, vendor_id, got "partner"',
    ],
    [
      'a duplicate required claim',
      variant('      - vendor_id', '      - partner_id'),
      '17: tokenClasses.partner.requiredClaims[1]: duplicate entry "partner_id"',
    ],
    [
      'allowed values for an undeclared claim',
      variant('      channel: [ECOMMERCE, MOBILE]', '      vendor_id: [V1]'),
      '13: tokenClasses.channel-app.allowedValues.vendor_id: unknown field (allowed: channel)',
    ],
    [
      'an allowed channel that is not a sales channel',
      variant('[ECOMMERCE, MOBILE]', '[ECOMMERCE, KIOSK]'),
      `13: tokenClasses.channel-app.allowedValues.channel[1]: expected one of ${SALES_CHANNELS.join(', ')}, got "KIOSK"`,
    ],
    [
      'an empty allowed-values list',
      variant('[ECOMMERCE, MOBILE]', '[]'),
      '13: tokenClasses.channel-app.allowedValues.channel: expected at least one entry',
    ],
    [
      'a class missing requiredClaims',
      variant('    requiredClaims: []', '    description: tools'),
      '18: tokenClasses.internal.requiredClaims: missing required field',
    ],
    [
      'an upper-case class name',
      variant('  partner:', '  Partner:'),
      '14: tokenClasses.Partner: expected a lowercase name (a-z, 0-9, -)',
    ],
    [
      'no token class',
      BASE.slice(0, BASE.indexOf('tokenClasses:')) + 'tokenClasses: {}\n',
      '9: tokenClasses: expected at least one token class',
    ],
    [
      'a misspelt field',
      variant('allowHs256ForDevelopment', 'allowHS256ForDevelopment'),
      '8: allowHS256ForDevelopment: unknown field (allowed: issuer, audiences, algorithms, jwks, tokenClasses, clockSkewSeconds, maxTokenBytes, allowHs256ForDevelopment)',
    ],
    [
      'a missing issuer',
      variant('issuer: https://auth.example\n', ''),
      '1: issuer: missing required field',
    ],
    [
      'an empty issuer',
      variant('https://auth.example', '""'),
      '1: issuer: expected a non-empty string',
    ],
    ['no audience', variant('[graph]', '[]'), '2: audiences: expected at least one entry'],
    [
      'a duplicate audience',
      variant('[graph]', '[graph, graph]'),
      '2: audiences[1]: duplicate entry "graph"',
    ],
    [
      'a clock skew over 300 s',
      variant('clockSkewSeconds: 30', 'clockSkewSeconds: 900'),
      '4: clockSkewSeconds: expected an integer from 0 to 300, got 900',
    ],
    [
      'a non-numeric token size',
      variant('maxTokenBytes: 8192', 'maxTokenBytes: big'),
      '5: maxTokenBytes: expected an integer from 512 to 16384, got "big"',
    ],
    [
      'a non-boolean HS256 switch',
      variant('Development: false', 'Development: yes'),
      '8: allowHs256ForDevelopment: expected true or false, got "yes"',
    ],
    [
      'both a JWKS file and url',
      variant('  file: keys.json', '  file: keys.json\n  url: https://idp.example/jwks'),
      '6: jwks: expected exactly one of file (development) or url (production)',
    ],
    [
      'neither a JWKS file nor url',
      variant('  file: keys.json', '  cacheSeconds: 60'),
      '6: jwks: expected exactly one of file (development) or url (production)',
    ],
    [
      'a plain-http JWKS url',
      variant('  file: keys.json', '  url: http://idp.example/jwks'),
      '7: jwks.url: expected an https URL (plain http only for localhost)',
    ],
    [
      'a relative JWKS url',
      variant('  file: keys.json', '  url: /jwks'),
      '7: jwks.url: expected an absolute URL, got "/jwks"',
    ],
    [
      'a too short JWKS cache',
      variant('  file: keys.json', '  url: https://idp.example/jwks\n  cacheSeconds: 5'),
      '8: jwks.cacheSeconds: expected an integer from 10 to 86400, got 5',
    ],
    [
      'cacheSeconds with a file',
      variant('  file: keys.json', '  file: keys.json\n  cacheSeconds: 60'),
      '8: jwks.cacheSeconds: only with url',
    ],
    ['a list instead of a mapping', '- issuer\n- audiences\n', '1: expected a mapping'],
    [
      'broken YAML',
      variant('  file: keys.json', '\tfile: keys.json'),
      '7: invalid YAML: Tabs are not allowed as indentation',
    ],
    ['a duplicate key', `${BASE}issuer: again\n`, '20: invalid YAML: Map keys must be unique'],
  ];
  for (const [name, text, message] of bad) {
    test(`refuses ${name} naming file, line and field`, () => {
      const file = policyFile(text);
      assert.throws(() => loadAuthPolicy(file), { name: 'Error', message: `${file}:${message}` });
      assert.throws(() => loadAuthPolicy(file), PolicyError);
    });
  }

  test('refuses a missing file naming it', () => {
    const file = join(dir, 'missing.yaml');
    assert.throws(() => loadAuthPolicy(file), {
      message: `${file}: cannot read the policy file (ENOENT: no such file or directory, open '${file}')`,
    });
  });

  test('names a file inside the working directory by its relative path', () => {
    assert.throws(() => loadAuthPolicy('policies/nope.yaml'), {
      message: /^policies\/nope\.yaml: cannot read the policy file/,
    });
  });
});
