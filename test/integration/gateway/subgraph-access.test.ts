import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Principal } from '../../../gateway/principal.ts';
import { principalConnectionParams, principalHeaders } from '../../helpers/principal.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

type Subgraph = 'promotion' | 'pricing' | 'inventory' | 'funding';
type Body = { data?: Record<string, unknown> | null; errors?: Record<string, unknown>[] };

const internal = (scopes: string[]): Principal => ({
  subject: 'ops',
  tokenClass: 'internal',
  scopes,
});
const channelApp = (channel: string, scopes: string[]): Principal => ({
  subject: `app-${channel.toLowerCase()}`,
  tokenClass: 'channel-app',
  scopes,
  channel,
});
function validDraft(): Record<string, unknown> {
  const now = Date.now();
  return {
    name: 'Scoped',
    offer: { kind: 'PERCENT_OFF', percentOff: '10' },
    scope: { skus: ['SKU000001'] },
    eligibility: { channels: ['ECOMMERCE'] },
    window: {
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 1 },
  };
}

const ANONYMOUS: Principal = { subject: 'anonymous', tokenClass: 'anonymous', scopes: [] };

/** The FORBIDDEN error of the field at `needle` (its first occurrence) in a one-line `query`. */
const forbidden = (
  message: string,
  path: (string | number)[],
  query: string,
  needle = String(path.at(-1)),
) => ({
  message,
  locations: [{ line: 1, column: query.indexOf(needle) + 1 }],
  path,
  extensions: { code: 'FORBIDDEN' },
});

/**
 * Finding 5 (defence in depth): every subgraph re-checks the `@requiresScopes` /
 * `@authenticated` its own schema declares against the gateway-signed principal, field by field,
 * before resolving (subgraphs/shared/field-access.ts); `@policy` stays the gateway's.
 * Finding 7: a channel-app token reads only its own channel wherever a channel argument selects
 * data. Both are exercised on the subgraphs directly (as a caller that bypassed the gateway
 * would) and, for channels, through the gateway too.
 */
describe('subgraphs enforce declared scopes and channel confinement themselves', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 3, vendors: 2 });
  });
  after(async () => stack?.close());

  async function direct(
    subgraph: Subgraph,
    query: string,
    principal: Principal,
    variables: Record<string, unknown> = {},
  ): Promise<Body> {
    const res = await fetch(stack.subgraphs[subgraph].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders(principal) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Body;
  }

  async function promotionCount(): Promise<number> {
    const res = await stack.query<{ promotions: { edges: unknown[] } }>(
      '{ promotions(first: 100) { edges { cursor } } }',
    );
    return res.body.data!.promotions.edges.length;
  }

  test('a root field without its scope is FORBIDDEN before it resolves', async () => {
    const query = '{ promotion(id: "prm_unknown") { id } }';
    assert.deepEqual(await direct('promotion', query, internal([])), {
      data: { promotion: null },
      errors: [
        forbidden(
          'not authorized: Query.promotion needs scopes [promotion:read]',
          ['promotion'],
          query,
        ),
      ],
    });
    assert.deepEqual(await direct('promotion', query, internal(['promotion:read'])), {
      data: { promotion: null },
    });
  });

  test('alternatives: either scope list of @requiresScopes satisfies it', async () => {
    const query =
      '{ eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: ["SKU000001"]) { sku } }';
    assert.deepEqual(await direct('promotion', query, internal(['eligibility:read'])), {
      data: { eligiblePromotions: [{ sku: 'SKU000001' }] },
    });
    assert.deepEqual(await direct('promotion', query, internal(['promotion:write'])), {
      data: null,
      errors: [
        forbidden(
          'not authorized: Query.eligiblePromotions needs scopes [promotion:read] or [eligibility:read]',
          ['eligiblePromotions'],
          query,
        ),
      ],
    });
  });

  test('a mutation without its scope is refused and writes nothing', async () => {
    const before = await promotionCount();
    const mutation =
      'mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }';
    const res = await direct('promotion', mutation, internal(['promotion:read']), {
      input: validDraft(),
    });
    assert.deepEqual(res, {
      data: null,
      errors: [
        forbidden(
          'not authorized: Mutation.createPromotionDraft needs scopes [promotion:write]',
          ['createPromotionDraft'],
          mutation,
        ),
      ],
    });
    assert.equal(await promotionCount(), before);
  });

  test('a field-level scope: the field is null with FORBIDDEN, its siblings resolve', async () => {
    const query =
      '{ availability(skus: ["SKU000001"], locationIds: ["S001"]) { sku locationId onHand } }';
    assert.deepEqual(await direct('inventory', query, internal(['inventory:read'])), {
      data: { availability: [{ sku: 'SKU000001', locationId: 'S001', onHand: null }] },
      errors: [
        forbidden(
          'not authorized: InventoryPosition.onHand needs scopes [inventory:quantity:read]',
          ['availability', 0, 'onHand'],
          query,
        ),
      ],
    });
  });

  test('a type-level scope covers _entities: refused before the ERP is read', async () => {
    const internalRead = await stack.query<{
      fundingAgreements: { edges: { node: { id: string } }[] };
    }>('{ fundingAgreements(vendorId: "V100001") { edges { node { id } } } }');
    const id = internalRead.body.data!.fundingAgreements.edges[0]!.node.id;
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on FundingAgreement { id } } }`;
    const variables = { r: [{ __typename: 'FundingAgreement', id }] };
    const calls = stack.backends.state.counters.snapshot().total;
    assert.deepEqual(await direct('funding', query, internal(['promotion:read']), variables), {
      data: null,
      errors: [
        forbidden(
          'not authorized: FundingAgreement needs scopes [funding:read]',
          ['_entities'],
          query,
        ),
      ],
    });
    assert.equal(stack.backends.state.counters.snapshot().total, calls, 'no ERP call');
    assert.deepEqual(await direct('funding', query, internal(['funding:read']), variables), {
      data: { _entities: [{ id }] },
    });
  });

  test('@authenticated: refused for the anonymous principal, any verified caller passes', async () => {
    const query = '{ product(sku: "SKU000001") { sku } }';
    assert.deepEqual(await direct('pricing', query, ANONYMOUS), {
      data: { product: null },
      errors: [forbidden('not authorized: Query.product needs authentication', ['product'], query)],
    });
    assert.deepEqual(await direct('pricing', query, internal([])), {
      data: { product: { sku: 'SKU000001' } },
    });
  });

  test('a subscription without its scope is refused before it subscribes', async () => {
    // An event to replay, so that a stream opened without the check would deliver it.
    const created = await stack.query(
      'mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { eventCursor } }',
      { input: validDraft() },
    );
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    const client = createClient({
      url: stack.subgraphs.promotion.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: principalConnectionParams(internal(['promotion:read'])),
      retryAttempts: 0,
    });
    const subscription = 'subscription { promotionStateChanged(after: "0") { cursor } }';
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        const received: unknown[] = [];
        client.subscribe(
          { query: subscription },
          {
            // The first result decides (without the check it would be a replayed event).
            next: (value) => resolve({ received: [...received, value] }),
            error: (error) => resolve({ error }),
            complete: () => resolve({ received }),
          },
        );
      });
      // One result carrying the refusal, then complete: no event was read.
      assert.deepEqual(JSON.parse(JSON.stringify(outcome)), {
        received: [
          {
            errors: [
              forbidden(
                'not authorized: Subscription.promotionStateChanged needs scopes [events:subscribe]',
                ['promotionStateChanged'],
                subscription,
              ),
            ],
          },
        ],
      });
    } finally {
      await client.dispose();
    }
  });

  describe('a channel-app token reads only its own channel', () => {
    const ecommerce = channelApp('ECOMMERCE', ['eligibility:read', 'pricing:read']);
    const eligibility = (channel: string) =>
      `{ eligiblePromotions(channel: ${channel}, storeId: "S001", skus: ["SKU000001"]) { sku } }`;

    test('eligiblePromotions for another channel: FORBIDDEN, nothing returned (directly)', async () => {
      assert.deepEqual(await direct('promotion', eligibility('POS'), ecommerce), {
        data: null,
        errors: [
          forbidden(
            'a channel-app token for ECOMMERCE cannot read channel POS',
            ['eligiblePromotions'],
            eligibility('POS'),
          ),
        ],
      });
      assert.deepEqual(await direct('promotion', eligibility('ECOMMERCE'), ecommerce), {
        data: { eligiblePromotions: [{ sku: 'SKU000001' }] },
      });
    });

    test('through the gateway: ECOMMERCE token asking POS eligibility is FORBIDDEN', async () => {
      const token = devToken({
        subject: 'web',
        tokenClass: 'channel-app',
        channel: 'ECOMMERCE',
        scopes: ['eligibility:read', 'pricing:read'],
      });
      const refused = await stack.query(eligibility('POS'), {}, { token });
      assert.equal(refused.body.data ?? null, null);
      assert.deepEqual(
        refused.body.errors?.map((e) => [e.message, e.extensions?.code]),
        [['a channel-app token for ECOMMERCE cannot read channel POS', 'FORBIDDEN']],
      );
      const own = await stack.query(eligibility('ECOMMERCE'), {}, { token });
      assert.deepEqual(own.body, { data: { eligiblePromotions: [{ sku: 'SKU000001' }] } });
      const internalPos = await stack.query(eligibility('POS'));
      assert.deepEqual(internalPos.body, { data: { eligiblePromotions: [{ sku: 'SKU000001' }] } });
    });

    test('Product.price(channel:) and Query.price(channel:): only the own channel; omitted is ECOMMERCE', async () => {
      const productPrice = (arg: string) =>
        `{ product(sku: "SKU000001") { sku price(locationId: "S001"${arg}) { kind } } }`;
      const refused = await direct('pricing', productPrice(', channel: POS'), ecommerce);
      assert.deepEqual(refused, {
        data: { product: { sku: 'SKU000001', price: null } },
        errors: [
          forbidden(
            'a channel-app token for ECOMMERCE cannot read channel POS',
            ['product', 'price'],
            productPrice(', channel: POS'),
            'price(',
          ),
        ],
      });
      const own = (await direct('pricing', productPrice(''), ecommerce)) as Body & {
        data: { product: { price: unknown } };
      };
      assert.equal(own.errors, undefined);
      assert.notEqual(own.data.product.price, null);
      const pos = channelApp('POS', ['pricing:read']);
      assert.deepEqual(
        (await direct('pricing', productPrice(''), pos)).errors?.map((e) => e.message),
        ['a channel-app token for POS cannot read channel ECOMMERCE'],
      );
      assert.deepEqual(
        (await direct('pricing', productPrice(', channel: null'), pos)).errors?.map(
          (e) => e.message,
        ),
        ['a channel-app token for POS cannot read channel ECOMMERCE'],
      );
      const rootQuery = '{ price(sku: "SKU000001", storeId: "S001", channel: MOBILE) { kind } }';
      const root = await direct('pricing', rootQuery, ecommerce);
      assert.deepEqual(root, {
        data: { price: null },
        errors: [
          forbidden(
            'a channel-app token for ECOMMERCE cannot read channel MOBILE',
            ['price'],
            rootQuery,
          ),
        ],
      });
    });

    test('Product.activePromotions(channel:) and EligibleOffer references follow the same rule', async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { activePromotions(channel: POS, storeId: "S001") { id } } } }`;
      assert.deepEqual(
        await direct('promotion', query, ecommerce, {
          r: [{ __typename: 'Product', sku: 'SKU000001' }],
        }),
        {
          // activePromotions is non-null: the entity becomes null.
          data: { _entities: [null] },
          errors: [
            forbidden(
              'a channel-app token for ECOMMERCE cannot read channel POS',
              ['_entities', 0, 'activePromotions'],
              query,
            ),
          ],
        },
      );
      const offer = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on EligibleOffer { sku } } }`;
      const representation = {
        __typename: 'EligibleOffer',
        promotionId: 'prm_x',
        sku: 'SKU000001',
        locationId: 'S001',
        channel: 'LOYALTY',
      };
      assert.deepEqual(await direct('pricing', offer, ecommerce, { r: [representation] }), {
        data: null,
        errors: [
          forbidden(
            'a channel-app token for ECOMMERCE cannot read channel LOYALTY',
            ['_entities'],
            offer,
          ),
        ],
      });
    });

    test('a channel-app token without a channel claim reads no channel (fail closed)', async () => {
      const noChannel: Principal = {
        subject: 'x',
        tokenClass: 'channel-app',
        scopes: ['eligibility:read'],
      };
      assert.deepEqual(
        (await direct('promotion', eligibility('ECOMMERCE'), noChannel)).errors?.map(
          (e) => e.message,
        ),
        ['a channel-app token for no channel cannot read channel ECOMMERCE'],
      );
    });

    test('a field without a channel argument value selects no channel (locations filter)', async () => {
      const res = await direct(
        'inventory',
        '{ locations(first: 1) { edges { node { id } } } }',
        ecommerce,
      );
      assert.equal(res.errors, undefined);
      const other = await direct(
        'inventory',
        '{ locations(channel: POS, first: 1) { edges { node { id } } } }',
        ecommerce,
      );
      assert.deepEqual(
        other.errors?.map((e) => [e.message, (e.extensions as { code: string }).code]),
        [['a channel-app token for ECOMMERCE cannot read channel POS', 'FORBIDDEN']],
      );
    });
  });
});
