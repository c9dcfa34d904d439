import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Principal } from '../../../../gateway/principal.ts';
import { channelOf, selectBuckets } from '../../../../gateway/throttling/select-buckets.ts';
import type { ThrottlingPolicy } from '../../../../policies/throttling-policy.ts';

const budget = (points: number) => ({ points, mutationPoints: points / 10 });
const POLICY: ThrottlingPolicy = {
  windowSeconds: 60,
  channels: {
    ECOMMERCE: { ...budget(1000), perClient: budget(100) },
    MOBILE: budget(2000),
    POS: budget(3000),
    MARKETPLACE: budget(4000),
    LOYALTY: budget(5000),
    partner: { ...budget(6000), perClient: budget(600) },
    internal: { ...budget(9000), perClient: budget(900) },
    anonymous: budget(300),
  },
  partners: { default: budget(400), overrides: { acme: budget(800) } },
  subscriptions: { perClient: 20 },
};

const channelApp = (extra: Partial<Principal> = {}): Principal => ({
  subject: 'shopper-app',
  tokenClass: 'channel-app',
  scopes: [],
  channel: 'ECOMMERCE',
  ...extra,
});

describe('bucket selection', () => {
  test('anonymous without perClient: one shared bucket', () => {
    assert.deepEqual(selectBuckets(POLICY, undefined, 'query', '203.0.113.7'), [
      { key: 'channel:anonymous', limit: 300, label: 'anonymous callers' },
    ]);
  });

  test('anonymous with perClient: a bucket per connection address, then the shared one', () => {
    const policy: ThrottlingPolicy = {
      ...POLICY,
      channels: { ...POLICY.channels, anonymous: { ...budget(300), perClient: budget(30) } },
    };
    assert.deepEqual(selectBuckets(policy, undefined, 'query', '203.0.113.7'), [
      {
        key: 'client:anonymous:ip:203.0.113.7',
        limit: 30,
        label: 'client ip:203.0.113.7 of anonymous',
      },
      { key: 'channel:anonymous', limit: 300, label: 'anonymous callers' },
    ]);
    // An unknown address is one client of its own, never a free pass.
    assert.equal(selectBuckets(policy, undefined, 'query')[0]!.key, 'client:anonymous:ip:unknown');
  });

  test('channel app with a client id: its client bucket, then the channel', () => {
    assert.deepEqual(selectBuckets(POLICY, channelApp({ clientId: 'web-shop' }), 'query'), [
      {
        key: 'client:ECOMMERCE:azp:web-shop',
        limit: 100,
        label: 'client azp:web-shop of ECOMMERCE',
      },
      { key: 'channel:ECOMMERCE', limit: 1000, label: 'channel ECOMMERCE' },
    ]);
  });

  test('a token without a client id is counted by its subject', () => {
    assert.deepEqual(selectBuckets(POLICY, channelApp(), 'query')[0], {
      key: 'client:ECOMMERCE:sub:shopper-app',
      limit: 100,
      label: 'client sub:shopper-app of ECOMMERCE',
    });
  });

  test('a channel without perClient: the channel bucket only', () => {
    assert.deepEqual(
      selectBuckets(POLICY, channelApp({ channel: 'MOBILE', clientId: 'ios' }), 'query'),
      [{ key: 'channel:MOBILE', limit: 2000, label: 'channel MOBILE' }],
    );
  });

  test('mutations: the separate mutation budgets, under keys of their own', () => {
    assert.deepEqual(selectBuckets(POLICY, channelApp({ clientId: 'web-shop' }), 'mutation'), [
      {
        key: 'mutation:client:ECOMMERCE:azp:web-shop',
        limit: 10,
        label: 'mutation budget of client azp:web-shop of ECOMMERCE',
      },
      {
        key: 'mutation:channel:ECOMMERCE',
        limit: 100,
        label: 'mutation budget of channel ECOMMERCE',
      },
    ]);
    assert.deepEqual(
      selectBuckets(POLICY, undefined, 'subscription'),
      selectBuckets(POLICY, undefined, 'query'),
    );
  });

  test('partner: client, partner (default or override), then the partner channel', () => {
    const partner = (partnerId: string): Principal => ({
      subject: 'integration-1',
      tokenClass: 'partner',
      scopes: [],
      partnerId,
      vendorId: 'V1',
      clientId: 'erp-sync',
    });
    assert.deepEqual(selectBuckets(POLICY, partner('globex'), 'query'), [
      { key: 'client:partner:azp:erp-sync', limit: 600, label: 'client azp:erp-sync of partner' },
      { key: 'partner:globex', limit: 400, label: 'partner globex' },
      { key: 'channel:partner', limit: 6000, label: 'channel partner' },
    ]);
    assert.deepEqual(selectBuckets(POLICY, partner('acme'), 'mutation')[1], {
      key: 'mutation:partner:acme',
      limit: 80,
      label: 'mutation budget of partner acme',
    });
  });

  test('internal tokens and tokens of a class without an entry', () => {
    assert.equal(channelOf({ subject: 'ops', tokenClass: 'internal', scopes: [] }), 'internal');
    assert.equal(channelOf({ subject: 'x', tokenClass: 'robot', scopes: [] }), 'anonymous');
    assert.equal(channelOf({ subject: 'x', tokenClass: 'anonymous', scopes: [] }), 'anonymous');
    assert.deepEqual(
      selectBuckets(POLICY, { subject: 'x', tokenClass: 'robot', scopes: [] }, 'query'),
      [{ key: 'channel:anonymous', limit: 300, label: 'anonymous callers' }],
    );
  });
});
