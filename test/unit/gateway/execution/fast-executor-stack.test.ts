import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createKeyStore } from '../../../../gateway/auth/jwks-key-store.ts';
import { createAuthenticator } from '../../../../gateway/plugins/authenticate.ts';
import { createGatewayServer, type RunningGateway } from '../../../../gateway/server.ts';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../../../../policies/authorization-policy.ts';
import { TEST_PRINCIPAL_SECRET } from '../../../helpers/principal.ts';
import { startTestStack, type TestStack } from '../../../helpers/stack.ts';

/**
 * The whole stack (emulated ERP, four subgraphs): the stack's gateway runs the fast executor (the
 * default); a second gateway on the same subgraphs runs ApolloGateway's. Both must answer every
 * operation identically.
 */
const SKUS = ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000299'];
const CASES: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The error codes of the answer (none: a clean answer with data). */
  codes?: string[];
}[] = [
  {
    name: 'eligibility rows joined with availability across subgraphs',
    query: `query($skus: [String!]!, $stores: [ID!]!) {
      eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: $skus) {
        sku
        product { sku name availability(locationIds: $stores) { status availableToPromise location { id name } } }
        offers { promotionId regularPrice { amount } promotionalPrice { amount } }
      } }`,
    variables: { skus: SKUS, stores: ['S001', 'S002'] },
  },
  {
    name: 'products with prices, aliases, __typename and an unknown SKU',
    query: `{ products(skus: ["SKU000001", "NOPE-1", "SKU000002"]) {
      __typename k: sku name brand
      ecommerce: price(channel: ECOMMERCE) { amount { amount currency } kind }
      pos: price(channel: POS, locationId: "S003") { amount { amount } }
    } }`,
  },
  {
    name: 'a NOT_FOUND error with its path next to data',
    query: `{ price(sku: "NOPE-1", storeId: "S001", channel: ECOMMERCE) { kind } product(sku: "SKU000001") { sku } }`,
    codes: ['NOT_FOUND'],
  },
  {
    name: 'promotions list (connection) and a null promotion',
    query: `{ promotions(first: 3) { edges { node { id state } } } promotion(id: "nope") { id } }`,
  },
  {
    name: 'a named fragment and variables with defaults',
    query: `fragment P on Product { sku name }
      query Q($sku: String!) { product(sku: $sku) { ...P availability(locationIds: ["S001"]) { sku status } } }`,
    variables: { sku: 'SKU000003' },
  },
];

describe('fast executor on the whole stack: identical to ApolloGateway', () => {
  let stack: TestStack;
  let apollo: RunningGateway;

  before(async () => {
    stack = await startTestStack();
    const authPolicy = loadAuthPolicy('policies/auth.yaml');
    apollo = await createGatewayServer({
      supergraphSdl: readFileSync('contracts/supergraph.graphql', 'utf8'),
      subgraphUrls: Object.fromEntries(
        Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url]),
      ),
      environment: 'production',
      principalSecret: TEST_PRINCIPAL_SECRET,
      authenticate: createAuthenticator({
        policy: authPolicy,
        keys: createKeyStore(authPolicy.keys),
      }),
      authorization: loadAuthorizationPolicy('policies/authorization.yaml', {
        knownTokenClasses: Object.keys(authPolicy.tokenClasses),
      }),
      executor: 'apollo',
    }).listen(0);
  });
  after(async () => {
    await apollo?.close();
    await stack?.close();
  });

  const viaApollo = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(apollo.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.internalToken}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: await res.json() };
  };

  for (const c of CASES) {
    test(c.name, async () => {
      const theirs = await viaApollo(c.query, c.variables);
      const ours = await stack.query(c.query, c.variables);
      assert.deepEqual(ours, theirs);
      assert.equal(ours.status, 200);
      assert.deepEqual(
        (ours.body.errors ?? []).map((e) => e.extensions?.code),
        c.codes ?? [],
        JSON.stringify(ours.body.errors),
      );
      assert.notEqual(ours.body.data, null);
    });
  }

  test('an ERP failure: BACKEND_UNAVAILABLE with the same path and data', async () => {
    const query = `{ product(sku: "SKU000299") { sku availability(locationIds: ["S015"]) { status } } products(skus: ["SKU000001"]) { sku } }`;
    stack.backends.state.faults.add({
      match: 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod',
      status: 503,
    });
    try {
      const theirs = await viaApollo(query);
      const ours = await stack.query(query);
      assert.deepEqual(ours, theirs);
      assert.equal(
        (ours.body.errors?.[0]?.extensions as { code: string } | undefined)?.code,
        'BACKEND_UNAVAILABLE',
      );
    } finally {
      stack.backends.state.faults.reset();
    }
  });

  test('operationName "" resolves no operation: both gateways answer an error and run nothing', async () => {
    const query = 'mutation { cancelPromotion(promotionId: "P-404", reason: "r") { eventCursor } }';
    const send = async (url: string, token: string | null, operationName?: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, ...(operationName === undefined ? {} : { operationName }) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    for (const url of [stack.gatewayUrl, apollo.url]) {
      for (const token of [null, stack.internalToken]) {
        const refused = await send(url, token, '');
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        // No `data` key: execution never started (or the executor refused it).
        assert.deepEqual(Object.keys(refused.body), ['errors'], JSON.stringify(refused.body));
        const codes = (refused.body.errors as { extensions?: { code?: string } }[]).map(
          (e) => e.extensions?.code,
        );
        assert.ok(
          codes.every((c) => c === 'BAD_REQUEST' || c === 'OPERATION_RESOLUTION_FAILURE'),
          JSON.stringify(refused.body),
        );
      }
      // The same mutation, its operation resolved, does run (here: the promotion is unknown).
      const ran = await send(url, stack.internalToken);
      assert.ok('data' in ran.body, JSON.stringify(ran.body));
    }
  });
});
