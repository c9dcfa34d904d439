import type { Row } from '../odata/edm.ts';
import { createRng, hashInts, type Rng } from './prng.ts';
import { centsToDecimal, quantity } from './format.ts';
import { skuId, type ErpSeed } from './seed.ts';

/**
 * Rows per (SKU, plant), derived on demand from the PRNG seeded by the pair, so 100,000 SKUs x 50
 * plants never sit in memory. `plant` is the 0-based index into `seed.plants` (key order).
 */

const MAX_QTY: Record<string, number> = { STORE: 40, DC: 2000, DARK_STORE: 200, ONLINE_FC: 600 };

function pairRng(seed: ErpSeed, domain: number, sku: number, plant: number): Rng {
  return createRng(hashInts(seed.options.seed, domain, sku, plant));
}

function maxQty(seed: ErpSeed, plant: number): number {
  return MAX_QTY[seed.plants[plant]!.YY1_LocationType as string] ?? 40;
}

const STOCK_KEY_DEFAULTS = {
  Batch: '',
  Supplier: '',
  Customer: '',
  WBSElementInternalID: '00000000',
  SDDocument: '',
  SDDocumentItem: '000000',
  InventorySpecialStockType: '',
};

/** `A_MatlStkInAcctMod` rows: storage locations 0001/0002 (sometimes 0009 returns), types 01/02/07. */
export function stockRows(seed: ErpSeed, sku: number, plant: number): Row[] {
  const rng = pairRng(seed, 2, sku, plant);
  const max = maxQty(seed, plant);
  const material = skuId(sku);
  const plantId = seed.plants[plant]!.Plant as string;
  const outOfStock = rng.chance(0.1);
  const rows: Row[] = [];
  const row = (location: string, type: string, qty: number, extra: Row = {}): void => {
    rows.push({
      Material: material,
      Plant: plantId,
      StorageLocation: location,
      ...STOCK_KEY_DEFAULTS,
      InventoryStockType: type,
      ...extra,
      MaterialBaseUnit: 'PC',
      MatlWrhsStkQtyInMatlBaseUnit: quantity(qty, 14),
    });
  };
  const qty = (scale: number): number =>
    outOfStock || rng.chance(0.08) ? 0 : rng.int(0, Math.ceil(max * scale));
  row('0001', '01', qty(1));
  if (rng.chance(0.05)) row('0001', '07', rng.int(1, 5));
  row('0002', '01', qty(0.6));
  if (rng.chance(0.05)) row('0002', '02', rng.int(1, 8));
  if (rng.chance(0.02)) {
    const vendor = seed.suppliers[seed.meta.supplierIdx[sku]!]!.Supplier as string;
    row('0002', '01', rng.int(1, 12), { Supplier: vendor, InventorySpecialStockType: 'K' });
  }
  if (rng.chance(0.3)) row('0009', '01', rng.int(1, 4));
  return rows.sort(compareStockKeys);
}

const STOCK_ORDER = [
  'StorageLocation',
  'Batch',
  'Supplier',
  'InventorySpecialStockType',
  'InventoryStockType',
];
function compareStockKeys(a: Row, b: Row): number {
  for (const key of STOCK_ORDER) {
    const x = a[key] as string;
    const y = b[key] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** `A_ProductPlant`: in transit / in transfer / GR-blocked / reserved quantities. */
export function productPlantRow(seed: ErpSeed, sku: number, plant: number): Row {
  const rng = pairRng(seed, 6, sku, plant);
  const max = maxQty(seed, plant);
  const some = (p: number, scale: number): string =>
    quantity(rng.chance(p) ? rng.int(1, Math.max(1, Math.ceil(max * scale))) : 0);
  return {
    Product: skuId(sku),
    Plant: seed.plants[plant]!.Plant,
    AvailabilityCheckType: '02',
    IsNegativeStockAllowed: false,
    StockInTransitQuantity: some(0.2, 0.5),
    StockInTransferQuantity: some(0.05, 0.2),
    GoodsReceiptBlockedStockQty: some(0.05, 0.1),
    YY1_ReservedQuantity: some(0.15, 0.15),
  };
}

/** `A_ProductSupplyPlanning`: safety stock. */
export function supplyPlanningRow(seed: ErpSeed, sku: number, plant: number): Row {
  const rng = pairRng(seed, 7, sku, plant);
  const max = maxQty(seed, plant);
  const safety = rng.int(0, Math.ceil(max * 0.15));
  return {
    Product: skuId(sku),
    Plant: seed.plants[plant]!.Plant,
    SafetyStockQuantity: quantity(safety),
    MinimumSafetyStockQuantity: quantity(Math.floor(safety / 2)),
    ReorderThresholdQuantity: quantity(safety + Math.ceil(max * 0.1)),
    MaximumStockQuantity: quantity(max),
    TotalReplenishmentLeadTime: String(rng.int(1, 10)),
  };
}

/** `A_ProductValuation` at plant level: cost below the list price (margin 20-60 %, +-2 % per plant). */
export function valuationRow(seed: ErpSeed, sku: number, plant: number): Row {
  const rng = pairRng(seed, 8, sku, plant);
  const price = seed.meta.priceCents[sku]!;
  const margin = seed.meta.marginBp[sku]! + rng.int(-200, 200);
  const perTen = seed.meta.pricingUnit[sku] === 10;
  const cost = Math.max(1, Math.round((price * (10_000 - margin)) / 10_000));
  const unit = perTen ? 10 : 1;
  const standard = cost * unit;
  const moving = Math.round(standard * (0.97 + rng.next() * 0.06));
  return {
    Product: skuId(sku),
    ValuationArea: seed.plants[plant]!.Plant,
    ValuationType: '',
    ValuationClass: '3100',
    StandardPrice: centsToDecimal(standard),
    MovingAveragePrice: centsToDecimal(moving),
    PriceUnitQty: String(unit),
    Currency: 'EUR',
    InventoryValuationProcedure: rng.chance(0.7) ? 'S' : 'V',
  };
}
