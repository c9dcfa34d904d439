import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withSafetyStock } from '../../../subgraphs/inventory/ports/stock-source.port.ts';
import { GraphQLError } from 'graphql';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createSapInventoryPorts } from '../../../subgraphs/inventory/adapters/sap/sap-inventory.adapter.ts';
import type { SapInventoryOptions } from '../../../subgraphs/inventory/adapters/sap/sap-inventory.options.ts';
import { locationDirectory } from '../../../subgraphs/inventory/location-directory.ts';
import { stockKey } from '../../../subgraphs/inventory/ports/stock-source.port.ts';
import { generatedWorld, smallWorld, startErpFixture, type ErpFixture } from './erp-fixture.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe('SAP inventory adapters', () => {
  let erp: ErpFixture;
  const clients: BackendClient[] = [];
  const clock = T0;

  function adapter(options: Partial<SapInventoryOptions> = {}, fixture = erp) {
    const client = createBackendClient({ name: 'erp', baseUrl: fixture.url, retries: 0 });
    clients.push(client);
    const ports = createSapInventoryPorts({ client, now: () => clock, log: () => {}, ...options });
    // Quantities and safety stock side by side, as the inventory context joins them.
    const stock = withSafetyStock(ports.stock, ports.safetyStock!);
    return { listLocations: ports.locations.listLocations, readStock: stock.readStock };
  }

  before(async () => {
    erp = await startErpFixture(smallWorld());
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await erp.close();
  });

  test('maps plants to locations (type, time zone, channels, fallbacks)', async () => {
    const { all, byId } = locationDirectory(await adapter().listLocations());
    assert.deepEqual(
      all.map((l) => l.id),
      ['1001', '1002', '1003', '1900', '2000', '3001'],
    );
    assert.deepEqual(byId.get('1001'), {
      id: '1001',
      name: 'Berlin Mitte',
      type: 'STORE',
      timeZone: 'Europe/Berlin',
      regionId: 'BE',
      country: 'DE',
      channels: ['POS', 'ECOMMERCE'],
    });
    // no YY1_LocationType → PlantCategory A → STORE; empty region → null; unknown channel dropped
    assert.deepEqual(byId.get('3001'), {
      id: '3001',
      name: 'Vienna Store',
      type: 'STORE',
      timeZone: 'Europe/Vienna',
      regionId: null,
      country: 'AT',
      channels: ['POS'],
    });
    assert.equal(byId.get('2000')?.type, 'DC');
    assert.deepEqual(byId.get('2000')?.channels, []);
  });

  test('sums stock over sellable storage locations, stock types and batches', async () => {
    const stock = await adapter().readStock(['TG11', 'TG12', 'NOPE'], ['1001', '1002']);
    const asOf = new Date(T0).toISOString();
    assert.deepEqual(stock.get(stockKey('TG11', '1001')), {
      sku: 'TG11',
      locationId: '1001',
      onHand: '19.5',
      reserved: '3',
      unavailable: '3.5',
      safetyStock: '2',
      inTransit: '7',
      unitOfMeasure: 'PC',
      asOf,
    });
    assert.deepEqual(stock.get(stockKey('TG11', '1002')), {
      sku: 'TG11',
      locationId: '1002',
      onHand: '6',
      reserved: '1',
      unavailable: '0',
      safetyStock: '0',
      inTransit: '0',
      unitOfMeasure: 'PC',
      asOf,
    });
    assert.deepEqual(stock.get(stockKey('TG12', '1001')), {
      sku: 'TG12',
      locationId: '1001',
      onHand: '2',
      reserved: '2',
      unavailable: '0',
      safetyStock: '0',
      inTransit: '10',
      unitOfMeasure: 'PC',
      asOf,
    });
    // unknown to the ERP: zero quantities, default unit
    assert.deepEqual(stock.get(stockKey('NOPE', '1002')), {
      sku: 'NOPE',
      locationId: '1002',
      onHand: '0',
      reserved: '0',
      unavailable: '0',
      safetyStock: '0',
      inTransit: '0',
      unitOfMeasure: 'PC',
      asOf,
    });
  });

  test('sellable storage locations are configuration', async () => {
    const stock = await adapter({ sellableStorageLocations: ['0001', '0009'] }).readStock(
      ['TG11'],
      ['1001'],
    );
    const position = stock.get(stockKey('TG11', '1001'))!;
    // 10 + 5.5 (0001) + 7 (0009 returns); blocked 2 at 0001 + GR blocked 0.5
    assert.equal(position.onHand, '22.5');
    assert.equal(position.unavailable, '2.5');
  });

  test('queries each entity set once with OR-chains on material and plant and a $select', async () => {
    erp.resetCounts();
    await adapter().readStock(['TG11', 'TG12'], ['1001', '1002']);
    assert.deepEqual(erp.counts(), {
      A_Plant: 0,
      A_MatlStkInAcctMod: 1,
      A_ProductPlant: 1,
      A_ProductSupplyPlanning: 1,
    });
    const stockUrl = erp.requests.find((r) => r.includes('A_MatlStkInAcctMod'))!;
    const params = new URL(stockUrl.slice(4), 'http://x').searchParams;
    assert.equal(
      params.get('$filter'),
      "(Material eq 'TG11' or Material eq 'TG12') and (Plant eq '1001' or Plant eq '1002') and (StorageLocation eq '0001' or StorageLocation eq '0002')",
    );
    assert.equal(
      params.get('$select'),
      'Material,Plant,StorageLocation,InventoryStockType,MatlWrhsStkQtyInMatlBaseUnit,MaterialBaseUnit',
    );
    const planningUrl = erp.requests.find((r) => r.includes('A_ProductSupplyPlanning'))!;
    assert.equal(
      new URL(planningUrl.slice(4), 'http://x').searchParams.get('$filter'),
      "(Product eq 'TG11' or Product eq 'TG12') and (Plant eq '1001' or Plant eq '1002')",
    );
  });

  test('follows __next across pages', async () => {
    const paged = await startErpFixture(smallWorld(), { pageSize: 2 });
    try {
      const stock = await adapter({}, paged).readStock(['TG11'], ['1001']);
      assert.equal(stock.get(stockKey('TG11', '1001'))!.onHand, '19.5');
      // 5 matching stock rows at 0001/0002 → 3 pages; 1 product-plant and 1 planning row
      assert.equal(paged.counts().A_MatlStkInAcctMod, 3);
      assert.equal((await adapter({}, paged).listLocations()).length, 6);
      assert.equal(paged.counts().A_Plant, 3);
    } finally {
      await paged.close();
    }
  });

  test('50 SKUs x 10 stores take ceil(50/40) x 3 ERP calls', async () => {
    const world = await startErpFixture(generatedWorld(50, 10));
    try {
      const skus = Array.from({ length: 50 }, (_, i) => `SKU-${String(i + 1).padStart(4, '0')}`);
      const stores = world.data.plants.map((p) => p.Plant!);
      const stock = await adapter({}, world).readStock(skus, stores);
      assert.equal(stock.size, 500);
      // SKU-0007 at S003: 7 (0001) + 3 (0002)
      assert.equal(stock.get(stockKey('SKU-0007', 'S003'))!.onHand, '10');
      assert.equal(stock.get(stockKey('SKU-0007', 'S003'))!.reserved, '1');
      assert.deepEqual(world.counts(), {
        A_Plant: 0,
        A_MatlStkInAcctMod: 2,
        A_ProductPlant: 2,
        A_ProductSupplyPlanning: 2,
      });
    } finally {
      await world.close();
    }
  });

  test('keeps every URL under 8000 characters, chunking plants too when needed', async () => {
    erp.resetCounts();
    const longSkus = Array.from(
      { length: 100 },
      (_, i) => `${'X'.repeat(36)}${String(i).padStart(4, '0')}`,
    );
    const manyPlants = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(9, '0')}`);
    await adapter().readStock(longSkus, manyPlants);
    const lengths = erp.requests.map((r) => r.length - 'GET '.length);
    assert.ok(
      lengths.every((n) => n <= 8000),
      `longest URL ${Math.max(...lengths)}`,
    );
    const calls = erp.counts();
    assert.equal(calls.A_MatlStkInAcctMod, calls.A_ProductPlant);
    assert.equal(calls.A_MatlStkInAcctMod, calls.A_ProductSupplyPlanning);
    assert.ok(calls.A_MatlStkInAcctMod <= 8, `stock calls ${calls.A_MatlStkInAcctMod}`);
    // each SKU and each plant is asked for in some stock query, and every pair is covered
    const stockFilters = erp.requests
      .filter((r) => r.includes('A_MatlStkInAcctMod'))
      .map((r) => new URL(r.slice(4), 'http://x').searchParams.get('$filter')!);
    for (const sku of [longSkus[0]!, longSkus[99]!]) {
      for (const p of [manyPlants[0]!, manyPlants[99]!]) {
        assert.ok(
          stockFilters.some((f) => f.includes(`'${sku}'`) && f.includes(`'${p}'`)),
          `pair ${sku} ${p} not queried`,
        );
      }
    }
  });

  test('ERP 5xx becomes BACKEND_UNAVAILABLE without the ERP payload', async () => {
    erp.fail('A_ProductPlant', 503);
    try {
      await assert.rejects(adapter().readStock(['TG11'], ['1001']), (error) => {
        assert.ok(error instanceof GraphQLError);
        assert.equal(error.message, 'erp is unavailable: HTTP 503');
        assert.deepEqual(error.extensions, { code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
        return true;
      });
    } finally {
      erp.fail('A_ProductPlant', undefined);
    }
  });

  test('ERP 4xx becomes a typed error without the ERP payload, logged with its code', async () => {
    const logged: string[] = [];
    erp.fail('A_Plant', 400);
    try {
      await assert.rejects(adapter({ log: (m) => logged.push(m) }).listLocations(), (error) => {
        assert.ok(error instanceof GraphQLError);
        assert.equal(error.message, 'erp is unavailable: request rejected (HTTP 400)');
        assert.deepEqual(error.extensions, { code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
        return true;
      });
      assert.deepEqual(logged, [
        '[inventory] ERP rejected a A_Plant query: HTTP 400 ZFIXTURE/001 Injected failure on A_Plant (secret detail)',
      ]);
    } finally {
      erp.fail('A_Plant', undefined);
    }
  });
});
