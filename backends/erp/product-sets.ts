import type { Constraints, Row } from '../odata/edm.ts';
import { dateTimeOffsetEtag, indexes, type EntitySet } from './entity-set.ts';
import { skuId, skuIndex, type ErpSeed } from './seed.ts';
import { productPlantRow, supplyPlanningRow, valuationRow } from './stock.ts';

const SERVICE = 'API_PRODUCT_SRV';

export function productSets(
  seed: ErpSeed,
  plantIndex: (id: string) => number | undefined,
): EntitySet[] {
  const skuCount = seed.options.skus;
  const plantCount = seed.plants.length;
  const toSku = (value: string): number | undefined => skuIndex(seed, value);
  const toPlant = (value: string): number | undefined => {
    const p = plantIndex(value);
    return p === undefined ? undefined : p + 1;
  };
  const descriptions = (sku: number): Row[] => [
    { Product: skuId(sku), Language: 'DE', ProductDescription: seed.meta.descriptionDe[sku] },
    { Product: skuId(sku), Language: 'EN', ProductDescription: seed.meta.descriptionEn[sku] },
  ];

  function* productScan(c: Constraints): Iterable<Row> {
    const group = c.get('ProductGroup');
    const supplier = c.get('YY1_Supplier');
    if (!c.has('Product') && (group || supplier)) {
      const [values, index] = group
        ? [group, seed.productsByGroup]
        : [supplier!, seed.productsBySupplier];
      const skus = [...values].flatMap((v) => index.get(v) ?? []).sort((a, b) => a - b);
      for (const sku of skus) yield seed.products[sku - 1]!;
      return;
    }
    for (const sku of indexes(c.get('Product'), skuCount, toSku)) yield seed.products[sku - 1]!;
  }

  const pairSet = (
    name: string,
    typeName: string,
    plantField: string,
    properties: EntitySet['properties'],
    make: (sku: number, plant: number) => Row,
    extraKeys: string[] = [],
  ): EntitySet => ({
    service: SERVICE,
    name,
    typeName,
    keys: ['Product', plantField, ...extraKeys],
    properties,
    navigations: {},
    *scan(c) {
      const plants = [...indexes(c.get(plantField), plantCount, toPlant)];
      for (const sku of indexes(c.get('Product'), skuCount, toSku)) {
        for (const plant of plants) yield make(sku, plant - 1);
      }
    },
    get(key) {
      const sku = toSku(String(key.Product));
      const plant = plantIndex(String(key[plantField]));
      if (sku === undefined || plant === undefined) return undefined;
      const row = make(sku, plant);
      return extraKeys.every((k) => row[k] === key[k]) ? row : undefined;
    },
  });

  return [
    {
      service: SERVICE,
      name: 'A_Product',
      typeName: 'A_ProductType',
      keys: ['Product'],
      properties: {
        Product: 'String',
        ProductType: 'String',
        CrossPlantStatus: 'String',
        ProductGroup: 'String',
        BaseUnit: 'String',
        Brand: 'String',
        Division: 'String',
        ProductHierarchy: 'String',
        IsMarkedForDeletion: 'Boolean',
        LastChangeDateTime: 'DateTimeOffset',
        YY1_Supplier: 'String',
      },
      navigations: {
        to_Description: {
          target: 'A_ProductDescription',
          many: true,
          resolve: (row) => descriptions(toSku(row.Product as string)!),
        },
      },
      scan: productScan,
      get: (key) => {
        const sku = toSku(String(key.Product));
        return sku === undefined ? undefined : seed.products[sku - 1];
      },
      etag: (row) => dateTimeOffsetEtag(row.LastChangeDateTime as number),
    },
    {
      service: SERVICE,
      name: 'A_ProductDescription',
      typeName: 'A_ProductDescriptionType',
      keys: ['Product', 'Language'],
      properties: { Product: 'String', Language: 'String', ProductDescription: 'String' },
      navigations: {},
      *scan(c) {
        for (const sku of indexes(c.get('Product'), skuCount, toSku)) yield* descriptions(sku);
      },
      get(key) {
        const sku = toSku(String(key.Product));
        return sku === undefined
          ? undefined
          : descriptions(sku).find((d) => d.Language === key.Language);
      },
    },
    pairSet(
      'A_ProductPlant',
      'A_ProductPlantType',
      'Plant',
      {
        Product: 'String',
        Plant: 'String',
        AvailabilityCheckType: 'String',
        IsNegativeStockAllowed: 'Boolean',
        StockInTransitQuantity: 'Decimal',
        StockInTransferQuantity: 'Decimal',
        GoodsReceiptBlockedStockQty: 'Decimal',
        YY1_ReservedQuantity: 'Decimal',
      },
      (sku, plant) => productPlantRow(seed, sku, plant),
    ),
    pairSet(
      'A_ProductSupplyPlanning',
      'A_ProductSupplyPlanningType',
      'Plant',
      {
        Product: 'String',
        Plant: 'String',
        SafetyStockQuantity: 'Decimal',
        MinimumSafetyStockQuantity: 'Decimal',
        ReorderThresholdQuantity: 'Decimal',
        MaximumStockQuantity: 'Decimal',
        TotalReplenishmentLeadTime: 'Decimal',
      },
      (sku, plant) => supplyPlanningRow(seed, sku, plant),
    ),
    pairSet(
      'A_ProductValuation',
      'A_ProductValuationType',
      'ValuationArea',
      {
        Product: 'String',
        ValuationArea: 'String',
        ValuationType: 'String',
        ValuationClass: 'String',
        StandardPrice: 'Decimal',
        MovingAveragePrice: 'Decimal',
        PriceUnitQty: 'Decimal',
        Currency: 'String',
        InventoryValuationProcedure: 'String',
      },
      (sku, plant) => valuationRow(seed, sku, plant),
      ['ValuationType'],
    ),
  ];
}
