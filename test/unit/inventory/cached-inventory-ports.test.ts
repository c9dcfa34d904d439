import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createMemoryCache } from '../../../subgraphs/shared/cache/memory-cache.ts';
import { createSapInventoryPorts } from '../../../subgraphs/inventory/adapters/sap/sap-inventory.adapter.ts';
import {
  cachedLocationSource,
  cachedStockSource,
} from '../../../subgraphs/inventory/ports/cached-inventory-ports.ts';
import type { InventoryPorts } from '../../../subgraphs/inventory/ports/inventory-ports.ts';
import { stockKey } from '../../../subgraphs/inventory/ports/stock-source.port.ts';
import { smallWorld, startErpFixture, type ErpFixture } from './erp-fixture.ts';
import { freshFor } from '../../helpers/subgraph-config.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

describe('inventory ports behind the cache (SAP adapters over the fixture ERP)', () => {
  let erp: ErpFixture;
  let client: BackendClient;
  let sap: InventoryPorts;
  let clock = T0;
  const now = (): number => clock;
  /** A fresh in-process cache on the test clock (the TTLs and the snapshots' asOf share it). */
  const cache = () => createMemoryCache({ now });

  before(async () => {
    erp = await startErpFixture(smallWorld());
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0 });
    sap = createSapInventoryPorts({ client, now, log: () => {} });
  });
  after(async () => {
    await client.close();
    await erp.close();
  });
  beforeEach(() => {
    clock = T0;
    erp.resetCounts();
  });

  test('the location list is cached for its TTL (inclusive) and read again after it', async () => {
    const locations = cachedLocationSource(sap.locations, cache(), freshFor(60_000));
    await Promise.all([locations.listLocations(), locations.listLocations()]);
    clock = T0 + 60_000;
    await locations.listLocations();
    assert.equal(erp.counts().A_Plant, 1);
    clock = T0 + 60_001;
    await locations.listLocations();
    assert.equal(erp.counts().A_Plant, 2);
  });

  test('stock is cached per (sku, plant) for the TTL (inclusive), keeping asOf; 0 means no cache', async () => {
    const stock = cachedStockSource(sap.stock, cache(), freshFor(2000));
    const first = await stock.readStock(['TG11'], ['1001', '1002']);
    clock = T0 + 2000;
    const second = await stock.readStock(['TG11'], ['1001']);
    assert.equal(erp.counts().A_MatlStkInAcctMod, 1);
    assert.deepEqual(second.get(stockKey('TG11', '1001')), first.get(stockKey('TG11', '1001')));
    // only the missing pair is read: (TG12, 1001)
    erp.resetCounts();
    const mixed = await stock.readStock(['TG11', 'TG12'], ['1001']);
    assert.equal(erp.counts().A_MatlStkInAcctMod, 1);
    assert.match(
      new URL(erp.requests[0]!.slice(4), 'http://x').searchParams.get('$filter')!,
      /^Material eq 'TG12' and Plant eq '1001' and /,
    );
    assert.equal(mixed.get(stockKey('TG11', '1001'))!.asOf, new Date(T0).toISOString());
    assert.equal(mixed.get(stockKey('TG12', '1001'))!.asOf, new Date(T0 + 2000).toISOString());
    clock = T0 + 2001;
    erp.resetCounts();
    const third = await stock.readStock(['TG11'], ['1001']);
    assert.equal(erp.counts().A_MatlStkInAcctMod, 1);
    assert.equal(third.get(stockKey('TG11', '1001'))!.asOf, new Date(T0 + 2001).toISOString());

    erp.resetCounts();
    const uncached = cachedStockSource(sap.stock, cache(), freshFor(0));
    assert.equal(uncached, sap.stock);
    await uncached.readStock(['TG11'], ['1001']);
    await uncached.readStock(['TG11'], ['1001']);
    assert.equal(erp.counts().A_MatlStkInAcctMod, 2);
  });

  test('concurrent reads of the same pairs share one ERP read', async () => {
    const stock = cachedStockSource(sap.stock, cache(), freshFor(2000));
    const [a, b] = await Promise.all([
      stock.readStock(['TG11'], ['1001']),
      stock.readStock(['TG11'], ['1001', '1002']),
    ]);
    assert.equal(erp.counts().A_MatlStkInAcctMod, 2);
    assert.equal(a.get(stockKey('TG11', '1001'))!.onHand, '19.5');
    assert.deepEqual([...b.keys()], [stockKey('TG11', '1001'), stockKey('TG11', '1002')]);
    erp.resetCounts();
    await Promise.all([stock.readStock(['TG12'], ['1001']), stock.readStock(['TG12'], ['1001'])]);
    assert.equal(erp.counts().A_MatlStkInAcctMod, 1);
  });

  test('a failed read is not cached', async () => {
    const stock = cachedStockSource(sap.stock, cache(), freshFor(2000));
    erp.fail('A_MatlStkInAcctMod', 503);
    try {
      await assert.rejects(stock.readStock(['TG11'], ['1001']), {
        message: 'erp is unavailable: HTTP 503',
      });
    } finally {
      erp.fail('A_MatlStkInAcctMod', undefined);
    }
    const read = await stock.readStock(['TG11'], ['1001']);
    assert.equal(read.get(stockKey('TG11', '1001'))!.onHand, '19.5');
  });
});
