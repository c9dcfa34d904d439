import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
// Transitive dependency of @apollo/gateway: used here only to build the API schema of the
// ORIGINAL supergraph, which ApolloGateway itself refuses to load.
import { Supergraph } from '@apollo/federation-internals';
import { parse, printSchema } from 'graphql';
import {
  andOf,
  policyNames,
  readSecurityRequirements,
  stripSecurityFeatures,
} from '../../../../gateway/security/supergraph-security.ts';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6",
  import: ["@key", "@authenticated", "@requiresScopes", "@policy"])`;

/** Two subgraphs using every security directive, composed for real. */
export function composeSecured(): string {
  const a = `${LINK}
    type Query {
      open: String
      secret: String @requiresScopes(scopes: [["a:read", "a:admin"], ["a:all"]])
      me: Account @authenticated
      vault: Vault
      ruled: String @policy(policies: [["internal-only"], ["partner-rule", "other-rule"]])
    }
    type Account @key(fields: "id") { id: ID! name: String }
    type Vault @requiresScopes(scopes: [["vault:read"]]) { id: ID! }`;
  const b = `${LINK}
    type Account @key(fields: "id") { id: ID! balance: Int @requiresScopes(scopes: [["money"]]) }`;
  const result = composeServices([
    { name: 'a', url: 'http://a/graphql', typeDefs: parse(a) },
    { name: 'b', url: 'http://b/graphql', typeDefs: parse(b) },
  ]);
  if (result.errors) throw new Error(result.errors.map(String).join('\n'));
  return result.supergraphSdl;
}

describe('security requirements from the supergraph', () => {
  test('reads scopes (OR of AND lists), type-level directives, @authenticated and @policy', () => {
    const requirements = readSecurityRequirements(composeSecured());
    assert.deepEqual(Object.fromEntries(requirements), {
      'Account.balance': { authenticated: false, scopes: [['money']] },
      'Query.secret': { authenticated: false, scopes: [['a:read', 'a:admin'], ['a:all']] },
      'Query.me': { authenticated: true },
      'Query.ruled': {
        authenticated: false,
        policies: [['internal-only'], ['partner-rule', 'other-rule']],
      },
      Vault: { authenticated: false, scopes: [['vault:read']] },
    });
    assert.deepEqual(policyNames(requirements), ['internal-only', 'other-rule', 'partner-rule']);
  });

  test('a supergraph without security features has no requirements', () => {
    const sdl = stripSecurityFeatures(composeSecured());
    assert.equal(readSecurityRequirements(sdl).size, 0);
  });

  test('two directives on one coordinate must both hold: AND of the OR lists', () => {
    assert.deepEqual(andOf([['a'], ['b']], [['c']]), [
      ['a', 'c'],
      ['b', 'c'],
    ]);
    assert.deepEqual(andOf(undefined, [['c']]), [['c']]);
  });
});

describe('the supergraph handed to ApolloGateway', () => {
  const original = readFileSync('contracts/supergraph.graphql', 'utf8');
  const stripped = stripSecurityFeatures(original);

  test('the committed supergraph carries security features that ApolloGateway refuses', async () => {
    assert.match(original, /for: SECURITY/);
    const gateway = new ApolloGateway({ supergraphSdl: original });
    await assert.rejects(gateway.load(), /is for: SECURITY but is unsupported/);
  });

  test('stripped: no security link, definition, scalar or application is left', () => {
    for (const gone of [
      'for: SECURITY',
      '@requiresScopes',
      '@authenticated',
      '@policy',
      'requiresScopes__Scope',
      'policy__Policy',
    ]) {
      assert.equal(stripped.includes(gone), false, `${gone} is still there`);
    }
  });

  test('ApolloGateway accepts it and its API schema is exactly the original one', async () => {
    const gateway = new ApolloGateway({ supergraphSdl: stripped });
    const { schema } = await gateway.load();
    await gateway.stop();
    const originalApi = Supergraph.build(original, { supportedFeatures: null })
      .apiSchema()
      .toGraphQLJSSchema();
    assert.equal(printSchema(schema), printSchema(originalApi));
    // and nothing but security was removed from the supergraph itself: same join metadata,
    // same definitions less the two feature scalars
    const count = (sdl: string, what: RegExp) => sdl.match(what)?.length ?? 0;
    assert.equal(count(stripped, /@join__/g), count(original, /@join__/g));
    const names = (sdl: string) =>
      parse(sdl).definitions.map((d) => ('name' in d && d.name ? d.name.value : d.kind));
    assert.deepEqual(
      names(stripped),
      names(original).filter(
        (n) =>
          ![
            'requiresScopes__Scope',
            'policy__Policy',
            'authenticated',
            'requiresScopes',
            'policy',
          ].includes(n),
      ),
    );
  });
});
