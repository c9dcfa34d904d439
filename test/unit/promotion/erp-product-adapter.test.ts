import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createErpProductAdapter } from '../../../subgraphs/promotion/adapters/erp-product.adapter.ts';
import { FakeClock } from './promotion-harness.ts';

const sku = (n: number) => `SKU${String(n).padStart(6, '0')}`;

describe('ERP product-master adapter against the emulator', () => {
  let backends: RunningBackends;
  let erp: BackendClient;
  before(async () => {
    backends = await createBackendsServer({
      seed: { skus: 200, locations: 10, vendors: 3 },
    }).listen(0);
    erp = createBackendClient({
      name: 'erp',
      baseUrl: backends.url,
      timeoutMs: 1000,
      retries: 1,
      breakerThreshold: 100,
    });
  });
  beforeEach(() => backends.state.reset());
  after(async () => {
    await erp.close();
    await backends.close();
  });

  test('unknown SKUs, checked in chunked OR-chains with $select=Product', async () => {
    const adapter = createErpProductAdapter(erp, { chunkSize: 40 });
    const skus = [
      ...Array.from({ length: 95 }, (_, i) => sku(i + 1)),
      'SKU999999',
      "O'BRIEN",
      sku(7),
    ];
    assert.deepEqual(await adapter.unknownSkus(skus), ['SKU999999', "O'BRIEN"]);
    const route = backends.state.counters.snapshot().routes['API_PRODUCT_SRV/A_Product'];
    assert.deepEqual(route, { calls: 3, queryOptions: { $filter: 3, $format: 3, $select: 3 } });
  });

  test('unknown locations from the cached plant list', async () => {
    const clock = new FakeClock('2026-03-01T00:00:00Z');
    const adapter = createErpProductAdapter(erp, { plantCacheTtlMs: 60_000, clock: clock.now });
    assert.deepEqual(await adapter.unknownLocations(['S001', 'D001', 'X999', 'F001']), ['X999']);
    assert.deepEqual(await adapter.unknownLocations(['S006', 'S007']), ['S007']);
    assert.equal(backends.state.counters.calls('API_PLANT_SRV/A_Plant'), 1);
    clock.advance(60_000);
    await adapter.unknownLocations(['S001']);
    assert.equal(backends.state.counters.calls('API_PLANT_SRV/A_Plant'), 2);
  });

  test('a category is its product group; a region its plants (from the cached plant list)', async () => {
    const adapter = createErpProductAdapter(erp);
    const { products: materials, plants } = backends.state.erp.seed;
    const group = String(materials[0]!.ProductGroup);
    const expected = materials.filter((m) => m.ProductGroup === group).map((m) => m.Product);
    assert.ok(expected.length > 0);
    assert.deepEqual((await adapter.skusInCategory(group)).sort(), expected.sort());
    assert.deepEqual(await adapter.skusInCategory("GRP'NONE"), []);
    const region = String(plants[0]!.Region);
    const inRegion = plants.filter((p) => p.Region === region).map((p) => p.Plant);
    assert.deepEqual((await adapter.locationsInRegion(region)).sort(), inRegion.sort());
    assert.deepEqual(await adapter.locationsInRegion('NOWHERE'), []);
    await adapter.unknownLocations(['S001']);
    assert.equal(backends.state.counters.calls('API_PLANT_SRV/A_Plant'), 1, 'one plant read');
  });

  test('ERP failure is BACKEND_UNAVAILABLE', async () => {
    backends.state.faults.add({ match: 'API_PRODUCT_SRV/A_Product', status: 503 });
    const adapter = createErpProductAdapter(erp);
    await assert.rejects(adapter.unknownSkus([sku(1)]), (error: unknown) => {
      assert.ok(error instanceof GraphQLError);
      assert.equal(error.message, 'erp is unavailable: product lookup failed (HTTP 503)');
      assert.deepEqual(error.extensions, { code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
      return true;
    });
  });
});
