import Big from 'big.js';
import { buildQueryString, orChain } from '../../../shared/odata-v2.ts';
import { odataReader } from '../../../shared/odata-v2-batch.ts';
import { formatQuantity } from '../../atp.ts';
import {
  stockKey,
  type SafetyStockSource,
  type StockSnapshot,
  type StockSource,
} from '../../ports/stock-source.port.ts';
import type { SapInventoryOptions } from './sap-inventory.options.ts';
import { decimal, sapQuery, text } from './sap-read.ts';
import { processLogger } from '../../../../contracts/runtime/telemetry/logger.ts';

export const STOCK_PATH = '/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
export const PRODUCT_PLANT_PATH = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductPlant';
export const SUPPLY_PLANNING_PATH = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductSupplyPlanning';

const STOCK_SELECT = [
  'Material',
  'Plant',
  'StorageLocation',
  'InventoryStockType',
  'MatlWrhsStkQtyInMatlBaseUnit',
  'MaterialBaseUnit',
];
const PRODUCT_PLANT_SELECT = [
  'Product',
  'Plant',
  'StockInTransitQuantity',
  'StockInTransferQuantity',
  'GoodsReceiptBlockedStockQty',
  'YY1_ReservedQuantity',
];
const SUPPLY_PLANNING_SELECT = ['Product', 'Plant', 'SafetyStockQuantity'];

/** Unrestricted-use stock; every other stock type at a sellable storage location is unavailable. */
const UNRESTRICTED_STOCK_TYPE = '01';

/**
 * The stock ports over SAP-style OData v2. Quantities (`stock`):
 * `API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod` rows summed per (Material, Plant) over the sellable
 * storage locations (unrestricted-use stock is on hand, every other stock type unavailable) and
 * `API_PRODUCT_SRV/A_ProductPlant` (reservations, in transit and in transfer, GR-blocked).
 * Planning (`safetyStock`): `API_PRODUCT_SRV/A_ProductSupplyPlanning`, master data that changes
 * rarely, so it is its own port with its own cache policy (policies/caching.yaml `products`).
 * Fan-out is bounded: per chunk of SKUs (and of plants, when very many) one query per entity set
 * with OR-chains on the material and the plant, never one call per (SKU, location); every URL
 * stays within `maxUrlLength`. Caching is not the adapter's: it sits at the port.
 * Batching: both ports read through one `createODataBatchReader`, so the reads of one service
 * issued within a couple of milliseconds (on a cold page the stock port's `A_ProductPlant` and
 * the safety-stock port's `A_ProductSupplyPlanning`, which `withSafetyStock` starts side by side;
 * the chunks of a large read) go out as one OData `$batch`: one ERP call per service. A lone read
 * is a plain GET; the CSRF token a `$batch` needs rides on a plain GET, never a call of its own
 * (see the reader). `options.batch === false` turns it off.
 */
export function createSapStockSources(options: SapInventoryOptions): {
  /** Quantities; their `safetyStock` is 0: it is `safetyStock`'s (see `withSafetyStock`). */
  stock: StockSource;
  safetyStock: SafetyStockSource;
} {
  const { client } = options;
  const now = options.now ?? Date.now;
  const sellable = [...(options.sellableStorageLocations ?? ['0001', '0002'])];
  const sellableSet = new Set(sellable);
  const skusPerQuery = options.skusPerQuery ?? 40;
  const maxUrlLength = options.maxUrlLength ?? 8000;
  const maxConcurrent = options.maxConcurrentChunks ?? 4;
  const defaultUnit = options.defaultUnitOfMeasure ?? 'PC';
  const log = options.log ?? ((message: string) => processLogger().warn(message));
  // One reader for both ports: their reads of one request share a `$batch` per service.
  const reader = odataReader(client, options.batch);
  const query = (path: string, queryOptions: Parameters<typeof sapQuery>[2]) =>
    sapQuery(reader, path, queryOptions, log);

  const stockSelectQuery = buildQueryString({ select: STOCK_SELECT });
  const storageChain = orChain('StorageLocation', sellable);
  /** URL length of everything but the material and plant OR-chains, for the longest query. */
  const urlOverhead = Math.max(
    STOCK_PATH.length +
      stockSelectQuery.length +
      encodedLength(` and  and ${storageChain}`) +
      '?&$filter='.length,
    PRODUCT_PLANT_PATH.length +
      buildQueryString({ select: PRODUCT_PLANT_SELECT }).length +
      encodedLength(' and ') +
      '?&$filter='.length,
    SUPPLY_PLANNING_PATH.length +
      buildQueryString({ select: SUPPLY_PLANNING_SELECT }).length +
      encodedLength(' and ') +
      '?&$filter='.length,
  );

  /** SKU chunks (at most `skusPerQuery`) x plant chunks, each query's URL within `maxUrlLength`. */
  function planChunks(skus: readonly string[], locationIds: readonly string[]): Chunk[] {
    const room = Math.max(0, maxUrlLength - urlOverhead);
    const plantChunks = greedyChunks(
      locationIds,
      Number.POSITIVE_INFINITY,
      (group) => encodedLength(orChain('Plant', group)) <= Math.floor(room / 2),
    );
    const longestPlantChain = Math.max(
      ...plantChunks.map((group) => encodedLength(orChain('Plant', group))),
    );
    const skuChunks = greedyChunks(
      skus,
      skusPerQuery,
      (group) => encodedLength(orChain('Material', group)) <= room - longestPlantChain,
    );
    return skuChunks.flatMap((s) => plantChunks.map((p) => ({ skus: s, plants: p })));
  }

  /** Quantities: stock rows and product-plant rows of one chunk. */
  async function readChunk(chunk: Chunk, accumulators: Map<string, Accumulator>): Promise<void> {
    const materialChain = orChain('Material', chunk.skus);
    const productChain = orChain('Product', chunk.skus);
    const plantChain = orChain('Plant', chunk.plants);
    const [stockRows, productPlantRows] = await Promise.all([
      query(STOCK_PATH, {
        filter: `${materialChain} and ${plantChain} and ${storageChain}`,
        select: STOCK_SELECT,
      }),
      query(PRODUCT_PLANT_PATH, {
        filter: `${productChain} and ${plantChain}`,
        select: PRODUCT_PLANT_SELECT,
      }),
    ]);
    for (const row of stockRows) {
      if (!sellableSet.has(text(row.StorageLocation))) continue;
      const acc = accumulators.get(stockKey(text(row.Material), text(row.Plant)));
      if (!acc) continue;
      const quantity = decimal(row.MatlWrhsStkQtyInMatlBaseUnit);
      if (text(row.InventoryStockType) === UNRESTRICTED_STOCK_TYPE) {
        acc.onHand = acc.onHand.plus(quantity);
      } else {
        acc.unavailable = acc.unavailable.plus(quantity);
      }
      acc.unitOfMeasure ??= text(row.MaterialBaseUnit) || undefined;
    }
    for (const row of productPlantRows) {
      const acc = accumulators.get(stockKey(text(row.Product), text(row.Plant)));
      if (!acc) continue;
      acc.reserved = acc.reserved.plus(decimal(row.YY1_ReservedQuantity));
      acc.unavailable = acc.unavailable.plus(decimal(row.GoodsReceiptBlockedStockQty));
      acc.inTransit = acc.inTransit
        .plus(decimal(row.StockInTransitQuantity))
        .plus(decimal(row.StockInTransferQuantity));
    }
  }

  /** Planning: safety stock rows of one chunk. */
  async function readPlanningChunk(chunk: Chunk, safety: Map<string, Big>): Promise<void> {
    const rows = await query(SUPPLY_PLANNING_PATH, {
      filter: `${orChain('Product', chunk.skus)} and ${orChain('Plant', chunk.plants)}`,
      select: SUPPLY_PLANNING_SELECT,
    });
    for (const row of rows) {
      const key = stockKey(text(row.Product), text(row.Plant));
      const current = safety.get(key);
      if (current) safety.set(key, current.plus(decimal(row.SafetyStockQuantity)));
    }
  }

  async function readSafetyStock(
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<Map<string, string>> {
    const safety = new Map<string, Big>();
    for (const sku of skus)
      for (const plant of locationIds) safety.set(stockKey(sku, plant), new Big(0));
    await runLimited(planChunks(skus, locationIds), maxConcurrent, (chunk) =>
      readPlanningChunk(chunk, safety),
    );
    return new Map([...safety].map(([key, quantity]) => [key, formatQuantity(quantity)]));
  }

  async function fetchSnapshots(
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<Map<string, StockSnapshot>> {
    const asOf = new Date(now()).toISOString();
    const accumulators = new Map<string, Accumulator>();
    for (const sku of skus) {
      for (const plant of locationIds) {
        accumulators.set(stockKey(sku, plant), {
          onHand: new Big(0),
          reserved: new Big(0),
          unavailable: new Big(0),
          inTransit: new Big(0),
        });
      }
    }
    await runLimited(planChunks(skus, locationIds), maxConcurrent, (chunk) =>
      readChunk(chunk, accumulators),
    );
    const snapshots = new Map<string, StockSnapshot>();
    for (const sku of skus) {
      for (const plant of locationIds) {
        const key = stockKey(sku, plant);
        const acc = accumulators.get(key)!;
        snapshots.set(key, {
          sku,
          locationId: plant,
          onHand: formatQuantity(acc.onHand),
          reserved: formatQuantity(acc.reserved),
          unavailable: formatQuantity(acc.unavailable),
          safetyStock: '0',
          inTransit: formatQuantity(acc.inTransit),
          unitOfMeasure: acc.unitOfMeasure ?? defaultUnit,
          asOf,
        });
      }
    }
    return snapshots;
  }

  return {
    stock: { readStock: fetchSnapshots },
    safetyStock: { readSafetyStock },
  };
}

type Chunk = { skus: string[]; plants: string[] };
type Accumulator = {
  onHand: Big;
  reserved: Big;
  unavailable: Big;
  inTransit: Big;
  unitOfMeasure?: string;
};
/** Length once percent-encoded, counting `'` as `%27` (proxies and URL parsers encode it). */
function encodedLength(value: string): number {
  return encodeURIComponent(value).replace(/'/g, '%27').length;
}

/** Groups values in order; a group grows while it has fewer than `max` values and `fits`. */
function greedyChunks(
  values: readonly string[],
  max: number,
  fits: (group: string[]) => boolean,
): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const value of values) {
    const candidate = [...current, value];
    if (current.length > 0 && (candidate.length > max || !fits(candidate))) {
      groups.push(current);
      current = [value];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

async function runLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
