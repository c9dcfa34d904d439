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
    const skusIn = async (id: string) =>
      (await adapter.productsIn('category', id, 1000)).map((p) => p.sku);
    const live = materials.filter((m) => m.ProductGroup === group && !m.IsMarkedForDeletion);
    assert.deepEqual((await skusIn(group)).sort(), live.map((m) => m.Product).sort());
    assert.deepEqual(await skusIn("GRP'NONE"), []);
    const region = String(plants[0]!.Region);
    const inRegion = plants.filter((p) => p.Region === region).map((p) => p.Plant);
    assert.deepEqual((await adapter.locationsInRegion(region)).sort(), inRegion.sort());
    assert.deepEqual(await adapter.locationsInRegion('NOWHERE'), []);
    await adapter.unknownLocations(['S001']);
    assert.equal(backends.state.counters.calls('API_PLANT_SRV/A_Plant'), 1, 'one plant read');
  });

  test('product facts: category, brand and hierarchy path per SKU, in one read for 40', async () => {
    const adapter = createErpProductAdapter(erp, { hierarchyLevels: [2, 3, 2] });
    const { products: materials } = backends.state.erp.seed;
    const live = materials.find((m) => !m.IsMarkedForDeletion)!;
    const deleted = materials.find((m) => m.IsMarkedForDeletion);
    const code = String(live.ProductHierarchy);
    backends.state.counters.reset();
    const facts = await adapter.productFacts([String(live.Product), 'SKU999999']);
    assert.deepEqual(facts, [
      {
        sku: live.Product,
        categoryId: live.ProductGroup,
        brandId: live.Brand,
        hierarchyNodeIds: [code.slice(0, 2), code.slice(0, 5), code.slice(0, 7)],
      },
      null,
    ]);
    assert.equal(backends.state.counters.calls('API_PRODUCT_SRV/A_Product'), 1);
    if (deleted) assert.deepEqual(await adapter.productFacts([String(deleted.Product)]), [null]);
  });

  test('members of a brand or node, bounded; unknown ids and malformed node ids', async () => {
    const adapter = createErpProductAdapter(erp, { hierarchyLevels: [2, 3, 2] });
    const { products: materials } = backends.state.erp.seed;
    const first = materials.find((m) => !m.IsMarkedForDeletion)!;
    const node = String(first.ProductHierarchy).slice(0, 5);
    const underNode = materials
      .filter((m) => String(m.ProductHierarchy).startsWith(node) && !m.IsMarkedForDeletion)
      .map((m) => m.Product);
    const found = await adapter.productsIn('node', node, 1000);
    assert.deepEqual(found.map((p) => p.sku).sort(), underNode.sort());
    assert.ok(found.every((p) => p.hierarchyNodeIds.includes(node)));
    const brand = String(first.Brand);
    assert.equal((await adapter.productsIn('brand', brand, 3)).length, 3, 'at most the limit');
    assert.deepEqual(await adapter.productsIn('node', node.slice(0, 4), 1000), []);
    assert.deepEqual(await adapter.unknownScopeIds('node', [node, node.slice(0, 4), '99999']), [
      node.slice(0, 4),
      '99999',
    ]);
    assert.deepEqual(await adapter.unknownScopeIds('brand', [brand, 'NoSuchBrand']), [
      'NoSuchBrand',
    ]);
    assert.deepEqual(
      await adapter.unknownScopeIds('category', [String(first.ProductGroup), 'GRP999']),
      ['GRP999'],
    );
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
