import type { Row } from '../odata/edm.ts';
import { indexes, type EntitySet } from './entity-set.ts';
import { skuId, skuIndex, type ErpSeed } from './seed.ts';
import { stockRows } from './stock.ts';
import type { StockReceipts } from './stock-receipts.ts';

const SERVICE = 'API_MATERIAL_STOCK_SRV';
export const STOCK_KEYS = [
  'Material',
  'Plant',
  'StorageLocation',
  'Batch',
  'Supplier',
  'Customer',
  'WBSElementInternalID',
  'SDDocument',
  'SDDocumentItem',
  'InventorySpecialStockType',
  'InventoryStockType',
] as const;

export function stockSets(
  seed: ErpSeed,
  plantIndex: (id: string) => number | undefined,
  /** Goods received since the reset, added to the 0001/01 rows. */
  receipts?: StockReceipts,
): EntitySet[] {
  const rowsOf = (sku: number, plant: number): Row[] =>
    receipts ? receipts.apply(stockRows(seed, sku, plant)) : stockRows(seed, sku, plant);
  const toSku = (value: string): number | undefined => skuIndex(seed, value);
  const toPlant = (value: string): number | undefined => {
    const p = plantIndex(value);
    return p === undefined ? undefined : p + 1;
  };
  const allForSku = (sku: number): Row[] => seed.plants.flatMap((_, plant) => rowsOf(sku, plant));
  const properties: EntitySet['properties'] = {
    ...Object.fromEntries(STOCK_KEYS.map((k) => [k, 'String' as const])),
    MaterialBaseUnit: 'String',
    MatlWrhsStkQtyInMatlBaseUnit: 'Decimal',
  };
  return [
    {
      service: SERVICE,
      name: 'A_MaterialStock',
      typeName: 'A_MaterialStockType',
      keys: ['Material'],
      properties: { Material: 'String', MaterialBaseUnit: 'String' },
      navigations: {
        to_MatlStkInAcctMod: {
          target: 'A_MatlStkInAcctMod',
          many: true,
          resolve: (row) => allForSku(toSku(row.Material as string)!),
        },
      },
      *scan(c) {
        for (const sku of indexes(c.get('Material'), seed.options.skus, toSku)) {
          yield { Material: skuId(sku), MaterialBaseUnit: 'PC' };
        }
      },
      get(key) {
        const sku = toSku(String(key.Material));
        return sku === undefined ? undefined : { Material: skuId(sku), MaterialBaseUnit: 'PC' };
      },
    },
    {
      service: SERVICE,
      name: 'A_MatlStkInAcctMod',
      typeName: 'A_MatlStkInAcctModType',
      keys: STOCK_KEYS,
      properties,
      navigations: {},
      *scan(c) {
        const plants = [...indexes(c.get('Plant'), seed.plants.length, toPlant)];
        for (const sku of indexes(c.get('Material'), seed.options.skus, toSku)) {
          for (const plant of plants) yield* rowsOf(sku, plant - 1);
        }
      },
      get(key) {
        const sku = toSku(String(key.Material));
        const plant = plantIndex(String(key.Plant));
        if (sku === undefined || plant === undefined) return undefined;
        return rowsOf(sku, plant).find((row) => STOCK_KEYS.every((k) => row[k] === key[k]));
      },
    },
  ];
}
