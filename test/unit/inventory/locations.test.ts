import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { plant, smallWorld } from './erp-fixture.ts';
import { startInventory, type InventoryHarness } from './inventory-harness.ts';

const LOCATIONS = `query ($type: LocationType, $channel: SalesChannel, $first: Int, $after: String) {
  locations(type: $type, channel: $channel, first: $first, after: $after) {
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const cursor = (id: string) => Buffer.from(`location:${id}`).toString('base64');

describe('Query.location and Query.locations', () => {
  let inv: InventoryHarness;
  before(async () => {
    const world = smallWorld();
    for (let i = 1; i <= 5; i++) {
      world.plants.push(plant(`40${i}0`, `Pop-up ${i}`, 'STORE', 'POS'));
    }
    inv = await startInventory(world);
  });
  after(() => inv.close());

  test('location by id, with every field', async () => {
    assert.deepEqual(
      await inv.query(`{
        location(id: "1003") { id name type timeZone regionId country channels }
        missing: location(id: "nope") { id }
      }`),
      {
        data: {
          location: {
            id: '1003',
            name: 'Hamburg Dark Store',
            type: 'DARK_STORE',
            timeZone: 'Europe/Berlin',
            regionId: 'HH',
            country: 'DE',
            channels: ['ECOMMERCE', 'MOBILE'],
          },
          missing: null,
        },
      },
    );
  });

  test('pages through locations sorted by id with opaque cursors', async () => {
    const first = await inv.query(LOCATIONS, { first: 4 });
    assert.deepEqual(first, {
      data: {
        locations: {
          edges: ['1001', '1002', '1003', '1900'].map((id) => ({
            cursor: cursor(id),
            node: { id },
          })),
          pageInfo: { hasNextPage: true, endCursor: cursor('1900') },
        },
      },
    });
    const second = await inv.query(LOCATIONS, { first: 4, after: cursor('1900') });
    assert.deepEqual(second, {
      data: {
        locations: {
          edges: ['2000', '3001', '4010', '4020'].map((id) => ({
            cursor: cursor(id),
            node: { id },
          })),
          pageInfo: { hasNextPage: true, endCursor: cursor('4020') },
        },
      },
    });
    const last = await inv.query(LOCATIONS, { after: cursor('4020') });
    assert.deepEqual(last, {
      data: {
        locations: {
          edges: ['4030', '4040', '4050'].map((id) => ({ cursor: cursor(id), node: { id } })),
          pageInfo: { hasNextPage: false, endCursor: cursor('4050') },
        },
      },
    });
    const beyond = await inv.query(LOCATIONS, { after: cursor('4050') });
    assert.deepEqual(beyond, {
      data: { locations: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
    });
  });

  test('filters by type and by channel', async () => {
    const ids = async (variables: Record<string, unknown>) =>
      (
        (await inv.query(LOCATIONS, variables)).data!.locations as {
          edges: { node: { id: string } }[];
        }
      ).edges.map((e) => e.node.id);
    assert.deepEqual(await ids({ type: 'DARK_STORE' }), ['1003']);
    assert.deepEqual(await ids({ channel: 'MOBILE' }), ['1003', '1900']);
    assert.deepEqual(await ids({ type: 'STORE', channel: 'ECOMMERCE' }), ['1001']);
    assert.deepEqual(await ids({ type: 'DC', channel: 'POS' }), []);
  });

  const bad: [string, Record<string, unknown>, string, string][] = [
    ['first 0', { first: 0 }, 'first must be between 1 and 200, got 0', 'first'],
    ['first 201', { first: 201 }, 'first must be between 1 and 200, got 201', 'first'],
    [
      'a cursor that is not base64 of ours',
      { after: 'bm90LWEtY3Vyc29y' },
      'after is not a valid cursor',
      'after',
    ],
    ['a cursor with junk', { after: '%%%' }, 'after is not a valid cursor', 'after'],
  ];
  for (const [name, variables, message, field] of bad) {
    test(`BAD_USER_INPUT for ${name}`, async () => {
      const res = await inv.query(LOCATIONS, variables);
      assert.deepEqual(res, {
        errors: [
          {
            message,
            locations: [{ line: 2, column: 3 }],
            path: ['locations'],
            extensions: {
              code: 'BAD_USER_INPUT',
              problems: [
                {
                  field,
                  message:
                    field === 'first'
                      ? 'must be between 1 and 200'
                      : 'use an endCursor returned by locations',
                },
              ],
            },
          },
        ],
        data: null,
      });
    });
  }

  test('resolves Location entities, null for unknown ids', async () => {
    const res = await inv.query(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Location { id name channels } } }`,
      {
        r: [
          { __typename: 'Location', id: '1900' },
          { __typename: 'Location', id: 'nope' },
        ],
      },
    );
    assert.deepEqual(res, {
      data: {
        _entities: [
          {
            id: '1900',
            name: 'Online FC Erfurt',
            channels: ['ECOMMERCE', 'MOBILE', 'MARKETPLACE'],
          },
          null,
        ],
      },
    });
  });
});
