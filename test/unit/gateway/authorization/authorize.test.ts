import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildSchema, GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import { createOperationAuthorizer } from '../../../../gateway/plugins/authorize.ts';
import type { Principal } from '../../../../gateway/principal.ts';
import { operationAccess } from '../../../../gateway/security/operation-walk.ts';
import type { SecurityRequirement } from '../../../../gateway/security/supergraph-security.ts';
import {
  loadAuthorizationPolicy,
  type AuthorizationPolicy,
} from '../../../../policies/authorization-policy.ts';

/** An API schema with an interface, a union and a nested entity. */
const schema = buildSchema(`
  type Query { node(id: ID!): Node  search: [Result!]!  promotion(id: ID!): Promotion  open: String }
  type Mutation { approve(id: ID!): Promotion }
  interface Node { id: ID! }
  type Promotion implements Node { id: ID! name: String audit: [String!]! product: Product }
  type Product implements Node { id: ID! price: Int cost: Int }
  type Vault implements Node { id: ID! }
  union Result = Promotion | Product
`);

const requirements = new Map<string, SecurityRequirement>([
  ['Query.promotion', { authenticated: false, scopes: [['promotion:read'], ['eligibility:read']] }],
  ['Promotion.audit', { authenticated: false, scopes: [['promotion:audit']] }],
  ['Product.price', { authenticated: false, scopes: [['pricing:read']] }],
  ['Product.cost', { authenticated: false, scopes: [['pricing:read', 'pricing:cost:read']] }],
  ['Vault', { authenticated: true }],
  [
    'Mutation.approve',
    { authenticated: false, scopes: [['promotion:approve']], policies: [['internal-only']] },
  ],
]);
const policy: AuthorizationPolicy = {
  policies: { 'internal-only': { tokenClasses: ['internal'] } },
  introspection: { tokenClasses: ['internal'], anonymous: false },
};
const authorize = createOperationAuthorizer({ requirements, policy });

const operationOf = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  return { document, operation };
};
const uses = (source: string) => {
  const { document, operation } = operationOf(source);
  const access = operationAccess(schema, document, operation);
  return {
    uses: access.pathsOf(() => true, 10_000).map((u) => `${u.path} ${u.coordinate}`),
    introspection: access.introspectionPaths(10_000),
  };
};
const principal = (scopes: string[], tokenClass = 'internal'): Principal => ({
  subject: 'u',
  tokenClass,
  scopes,
});
/** The refusal as the client sees it (status, code, message, paths), or 'allowed'. */
function outcome(source: string, who: Principal | undefined) {
  const { document, operation } = operationOf(source);
  try {
    authorize(schema, document, operation, who);
    return 'allowed';
  } catch (error) {
    assert.ok(error instanceof GraphQLError);
    const ext = error.extensions as {
      code: string;
      unauthorizedPaths: string[];
      http: { status: number };
    };
    return {
      status: ext.http.status,
      code: ext.code,
      message: error.message,
      paths: ext.unauthorizedPaths,
    };
  }
}

describe('operation walk', () => {
  test('aliases give the response path; returned types are touched; __typename is not', () => {
    assert.deepEqual(
      uses('{ p: promotion(id: "1") { __typename id secret: audit product { price } } }').uses,
      [
        'p Query.promotion',
        'p Promotion',
        'p.id Promotion.id',
        'p.id ID',
        'p.secret Promotion.audit',
        'p.secret String',
        'p.product Promotion.product',
        'p.product Product',
        'p.product.price Product.price',
        'p.product.price Int',
      ],
    );
  });

  test('named fragments are followed at every place they are spread', () => {
    const { uses: found } = uses(`
      query { a: promotion(id: "1") { ...P } b: promotion(id: "2") { product { ...Q } } }
      fragment P on Promotion { audit }
      fragment Q on Product { cost }`);
    assert.ok(found.includes('a.audit Promotion.audit'));
    assert.ok(found.includes('b.product.cost Product.cost'));
    assert.ok(found.includes('b.product Product'));
  });

  test('interface fields reach every implementation; inline fragments touch their type', () => {
    const { uses: found } = uses(
      '{ node(id: "1") { id ... on Vault { id } ... on Product { price } } search { ... on Promotion { audit } } }',
    );
    for (const expected of [
      'node.id Node.id',
      'node.id Promotion.id',
      'node.id Product.id',
      'node.id Vault.id',
      'node Vault',
      'node.price Product.price',
      'search Result',
      'search Promotion',
      'search.audit Promotion.audit',
    ]) {
      assert.ok(found.includes(expected), `${expected} missing from ${found.join(', ')}`);
    }
  });

  test('introspection roots are reported apart and not walked into', () => {
    assert.deepEqual(uses('{ __schema { types { name } } t: __type(name: "Query") { name } }'), {
      uses: [],
      introspection: ['__schema', 't'],
    });
  });
});

describe('authorize: whole-operation rejection', () => {
  const QUERY = '{ promotion(id: "1") { name audit product { price cost } } }';

  test('anonymous on a protected field: 401 UNAUTHENTICATED, every path listed', () => {
    assert.deepEqual(outcome(QUERY, undefined), {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'authentication required',
      paths: ['promotion', 'promotion.audit', 'promotion.product.price', 'promotion.product.cost'],
    });
  });

  test('under-scoped: 403 FORBIDDEN naming each field and what would satisfy it', () => {
    assert.deepEqual(outcome(QUERY, principal(['eligibility:read', 'pricing:read'])), {
      status: 403,
      code: 'FORBIDDEN',
      message:
        'not authorized: promotion.audit (Promotion.audit) needs scopes [promotion:audit]; ' +
        'promotion.product.cost (Product.cost) needs scopes [pricing:read pricing:cost:read]',
      paths: ['promotion.audit', 'promotion.product.cost'],
    });
  });

  test('scopes: any one inner AND list suffices', () => {
    const all = ['promotion:audit', 'pricing:read', 'pricing:cost:read'];
    assert.equal(outcome(QUERY, principal(['promotion:read', ...all])), 'allowed');
    assert.equal(outcome(QUERY, principal(['eligibility:read', ...all])), 'allowed');
    assert.notEqual(outcome(QUERY, principal(['promotion:audit', 'pricing:read'])), 'allowed');
  });

  test('a type-level requirement applies to fragments on that type', () => {
    assert.equal(outcome('{ node(id: "1") { id } }', undefined), 'allowed');
    assert.deepEqual(outcome('{ node(id: "1") { ... on Vault { id } } }', undefined), {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'authentication required',
      paths: ['node'],
    });
    assert.equal(outcome('{ node(id: "1") { ... on Vault { id } } }', principal([])), 'allowed');
  });

  test('@policy: scope AND named rule; the rule checks the token class', () => {
    const MUTATION = 'mutation { approve(id: "1") { id } }';
    assert.equal(outcome(MUTATION, principal(['promotion:approve'])), 'allowed');
    assert.deepEqual(outcome(MUTATION, principal(['promotion:approve'], 'partner')), {
      status: 403,
      code: 'FORBIDDEN',
      message: 'not authorized: approve (Mutation.approve) needs policy [internal-only]',
      paths: ['approve'],
    });
    assert.deepEqual(outcome(MUTATION, principal([], 'partner')), {
      status: 403,
      code: 'FORBIDDEN',
      message:
        'not authorized: approve (Mutation.approve) needs scopes [promotion:approve] and policy [internal-only]',
      paths: ['approve'],
    });
  });

  test('unprotected fields and __typename are open to anonymous callers', () => {
    assert.equal(outcome('{ open __typename search { __typename } }', undefined), 'allowed');
  });

  test('introspection: internal yes; partner, channel-app and anonymous no', () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';
    assert.equal(outcome(INTROSPECT, principal([])), 'allowed');
    for (const [who, name] of [
      [principal([], 'partner'), 'token class partner'],
      [principal([], 'channel-app'), 'token class channel-app'],
      [undefined, 'anonymous callers'],
    ] as const) {
      assert.deepEqual(outcome(INTROSPECT, who), {
        status: 403,
        code: 'FORBIDDEN',
        message: `introspection is not allowed for ${name}`,
        paths: ['__schema'],
      });
    }
  });

  test('a @policy name the policy does not define stops the gateway at creation', () => {
    assert.throws(() => createOperationAuthorizer({ requirements }), {
      message:
        'the supergraph uses @policy rule(s) internal-only that policies/authorization.yaml does not define',
    });
  });
});

describe('policies/authorization.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authz-'));
  const load = (text: string) => {
    const file = join(dir, 'authorization.yaml');
    writeFileSync(file, text);
    return loadAuthorizationPolicy(file, { knownTokenClasses: ['internal', 'partner'] });
  };

  test('the committed file loads against the auth policy token classes', () => {
    assert.deepEqual(
      loadAuthorizationPolicy('policies/authorization.yaml', {
        knownTokenClasses: ['internal', 'partner', 'channel-app'],
      }),
      {
        policies: {
          'internal-only': { tokenClasses: ['internal'] },
          'sales-feed': { tokenClasses: ['internal', 'channel-app'] },
        },
        introspection: { tokenClasses: ['internal'], anonymous: false },
      },
    );
  });

  test('defaults: no rules, introspection for internal only', () => {
    assert.deepEqual(load('{}\n'), {
      policies: {},
      introspection: { tokenClasses: ['internal'], anonymous: false },
    });
  });

  test('bad files name file, line and field', () => {
    assert.throws(() => load('policies:\n  a:\n    tokenClasses: [internal, robots]\n'), {
      message:
        /authorization\.yaml:3: policies\.a\.tokenClasses\[1\]: unknown token class "robots"/,
    });
    assert.throws(() => load('policies:\n  a:\n    classes: [internal]\n'), {
      message: /authorization\.yaml:3: policies\.a\.classes: unknown field/,
    });
    assert.throws(() => load('introspection:\n  anonymous: sometimes\n'), {
      message: /authorization\.yaml:2: introspection\.anonymous: expected true or false/,
    });
  });
});
