import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSeed } from '../../../backends/erp/seed.ts';
import { priceConditionsForSku } from '../../../backends/erp/prices.ts';
import { productPlantRow, stockRows, valuationRow } from '../../../backends/erp/stock.ts';

const snapshot = (skus: number): string => {
  const seed = createSeed({ skus, locations: 12, vendors: 8 });
  const derived = [1, 7, skus].map((sku) => ({
    prices: priceConditionsForSku(seed, sku),
    stock: seed.plants.map((_, p) => stockRows(seed, sku, p)),
    plant: productPlantRow(seed, sku, 3),
    valuation: valuationRow(seed, sku, 5),
  }));
  return JSON.stringify({
    seed: { ...seed, meta: undefined },
    meta: Object.values(seed.meta).map((a) => Array.from(a as ArrayLike<unknown>)),
    derived,
  });
};

describe('seed', () => {
  test('the same options give byte-identical data', () => {
    assert.equal(snapshot(300), snapshot(300));
    assert.notEqual(
      snapshot(300),
      JSON.stringify(createSeed({ skus: 300, locations: 12, vendors: 8, seed: 7 })),
    );
  });

  test('SKU, plant, vendor and contract ids follow the naming scheme and counts', () => {
    const seed = createSeed({ skus: 250, locations: 10, vendors: 5 });
    assert.equal(seed.products.length, 250);
    assert.equal(seed.products[0]!.Product, 'SKU000001');
    assert.equal(seed.products[249]!.Product, 'SKU000250');
    assert.deepEqual(
      seed.plants.map((p) => `${p.Plant as string}:${p.YY1_LocationType as string}`),
      [
        'D001:DC',
        'D002:DC',
        'F001:ONLINE_FC',
        'K001:DARK_STORE',
        'S001:STORE',
        'S002:STORE',
        'S003:STORE',
        'S004:STORE',
        'S005:STORE',
        'S006:STORE',
      ],
    );
    assert.deepEqual(
      seed.suppliers.map((s) => s.Supplier),
      ['V100001', 'V100002', 'V100003', 'V100004', 'V100005'],
    );
    assert.equal(seed.contracts[0]!.header.ConditionContract, '0000000001');
    assert.ok(seed.contracts.length >= 5 && seed.contracts.length <= 15);
    assert.ok(
      seed.products.every((p) => /^GRP0(0[1-9]|[12]\d|30)$/.test(p.ProductGroup as string)),
    );
  });

  test('prices: PPR0 per channel for every SKU, with expired, store, clearance and per-10 variants', () => {
    const seed = createSeed({ skus: 2000, locations: 50, vendors: 40 });
    const all = Array.from({ length: 2000 }, (_, i) => priceConditionsForSku(seed, i + 1)).flat();
    const chain = all.filter(
      (c) =>
        c.record.ConditionType === 'PPR0' &&
        c.validity.Plant === '' &&
        c.validity.ConditionValidityEndDate === Date.UTC(9999, 11, 31),
    );
    assert.equal(chain.length, 8000);
    assert.ok(
      all.some((c) => (c.validity.ConditionValidityEndDate as number) < Date.UTC(2025, 0, 1)),
    );
    assert.ok(all.some((c) => c.validity.Plant !== ''));
    assert.ok(all.some((c) => c.record.ConditionType === 'ZCLR'));
    assert.ok(all.some((c) => c.record.ConditionQuantity === '10'));
    assert.ok(all.every((c) => /^\d+\.\d{2,3}$/.test(c.record.ConditionRateValue as string)));
  });

  test('cost is below the list price and stock rows use the 11-part key', () => {
    const seed = createSeed({ skus: 200, locations: 8, vendors: 4 });
    for (let sku = 1; sku <= 200; sku++) {
      const v = valuationRow(seed, sku, 0);
      const perUnitCost = Number(v.StandardPrice) / Number(v.PriceUnitQty);
      assert.ok(perUnitCost < seed.meta.priceCents[sku]! / 100, `cost below price for ${sku}`);
    }
    const rows = seed.plants.flatMap((_, p) => stockRows(seed, 1, p));
    assert.ok(rows.every((r) => Object.keys(r).length === 13));
    assert.ok(new Set(rows.map((r) => r.StorageLocation)).size >= 2);
  });
});
