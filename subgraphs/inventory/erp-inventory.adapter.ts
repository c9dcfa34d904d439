import Big from 'big.js';
import { GraphQLError } from 'graphql';
import { BackendError, type BackendClient } from '../shared/backend-client.ts';
import { SalesChannel } from '../shared/canonical/enums.ts';
import { backendUnavailable } from '../shared/errors.ts';
import {
  ODataError,
  buildQueryString,
  orChain,
  queryCollection,
  type ODataRow,
  type ODataV2QueryOptions,
} from '../shared/odata-v2.ts';
import { formatQuantity, type StockComponents } from './atp.ts';
import { LocationType } from './location-type.enum.ts';
import type { Location } from './location.type.ts';

/**
 * The only file that knows the ERP's wire names (SAP-style OData v2):
 * - locations: `API_PLANT_SRV/A_Plant` (cached, it is small);
 * - stock: `API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod` rows summed per (Material, Plant) over the
 *   sellable storage locations; `API_PRODUCT_SRV/A_ProductPlant` (reservations, in transit,
 *   GR-blocked) and `API_PRODUCT_SRV/A_ProductSupplyPlanning` (safety stock).
 * Fan-out is bounded: per chunk of SKUs (and of plants, when very many) one query per entity set
 * with OR-chains on the material and the plant, never one call per (SKU, location).
 */

const PLANT_PATH = '/sap/opu/odata/sap/API_PLANT_SRV/A_Plant';
const STOCK_PATH = '/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const PRODUCT_PLANT_PATH = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductPlant';
const SUPPLY_PLANNING_PATH = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductSupplyPlanning';

const PLANT_SELECT = [
  'Plant',
  'PlantName',
  'PlantCategory',
  'Region',
  'Country',
  'YY1_TimeZone',
  'YY1_LocationType',
  'YY1_SalesChannels',
];
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

export type StockSnapshot = StockComponents & {
  sku: string;
  locationId: string;
  unitOfMeasure: string;
  /** When the ERP snapshot was read (ISO 8601, UTC). */
  asOf: string;
};

export type LocationDirectory = {
  /** Every location, sorted by id. */
  all: readonly Location[];
  byId: ReadonlyMap<string, Location>;
};

export type ErpInventoryAdapterOptions = {
  /** Client whose base URL is the ERP root (the OData services live below `/sap/opu/odata/sap`). */
  client: BackendClient;
  /** How long the plant list is cached. Default 60 000 ms. */
  plantCacheTtlMs?: number;
  /** How long stock per (SKU, location) is cached; 0 disables the cache. Default 2000 ms. */
  stockCacheTtlMs?: number;
  /** Storage locations whose stock can be sold. Default `0001` (sales floor), `0002` (back room). */
  sellableStorageLocations?: readonly string[];
  /** Most SKUs in one ERP query. Default 40. */
  skusPerQuery?: number;
  /** Longest request URL (path and query string) sent to the ERP. Default 8000. */
  maxUrlLength?: number;
  /** Chunks read at the same time. Default 4. */
  maxConcurrentChunks?: number;
  /** Unit reported when the ERP has no stock row for a SKU. Default `PC`. */
  defaultUnitOfMeasure?: string;
  /** Most (SKU, location) entries kept in the stock cache. Default 100 000. */
  maxCachedStockEntries?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Where ERP rejections (4xx) are reported with their ERP code. Default `console.warn`. */
  log?: (message: string) => void;
};

export type ErpInventoryAdapter = {
  listLocations(): Promise<LocationDirectory>;
  /**
   * Stock for every (sku, locationId) pair of `skus` x `locationIds`, keyed by `stockKey`.
   * A SKU (or location) the ERP does not know yields zero quantities.
   */
  readStock(
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<Map<string, StockSnapshot>>;
};

export function stockKey(sku: string, locationId: string): string {
  return `${sku}\u0000${locationId}`;
}

type Chunk = { skus: string[]; plants: string[] };
type Accumulator = {
  onHand: Big;
  reserved: Big;
  unavailable: Big;
  safetyStock: Big;
  inTransit: Big;
  unitOfMeasure?: string;
};
type CacheEntry = { promise: Promise<StockSnapshot>; expiresAt: number };

export function createErpInventoryAdapter(
  options: ErpInventoryAdapterOptions,
): ErpInventoryAdapter {
  const { client } = options;
  const now = options.now ?? Date.now;
  const plantTtl = options.plantCacheTtlMs ?? 60_000;
  const stockTtl = options.stockCacheTtlMs ?? 2000;
  const sellable = [...(options.sellableStorageLocations ?? ['0001', '0002'])];
  const sellableSet = new Set(sellable);
  const skusPerQuery = options.skusPerQuery ?? 40;
  const maxUrlLength = options.maxUrlLength ?? 8000;
  const maxConcurrent = options.maxConcurrentChunks ?? 4;
  const defaultUnit = options.defaultUnitOfMeasure ?? 'PC';
  const maxCached = options.maxCachedStockEntries ?? 100_000;
  const log = options.log ?? ((message: string) => console.warn(message));

  async function query(path: string, queryOptions: ODataV2QueryOptions): Promise<ODataRow[]> {
    try {
      return await queryCollection(client, path, queryOptions);
    } catch (error) {
      throw toErpError(error, path, log);
    }
  }

  // ---- locations -------------------------------------------------------------------------

  let plants: { promise: Promise<LocationDirectory>; expiresAt: number } | undefined;

  async function loadPlants(): Promise<LocationDirectory> {
    const rows = await query(PLANT_PATH, { select: PLANT_SELECT });
    const all = rows
      .map(toLocation)
      .filter((l): l is Location => l !== undefined)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { all, byId: new Map(all.map((l) => [l.id, l])) };
  }

  function listLocations(): Promise<LocationDirectory> {
    if (plants && plants.expiresAt > now()) return plants.promise;
    const entry = { promise: loadPlants(), expiresAt: Number.POSITIVE_INFINITY };
    plants = entry;
    entry.promise.then(
      () => {
        entry.expiresAt = now() + plantTtl;
      },
      () => {
        if (plants === entry) plants = undefined;
      },
    );
    return entry.promise;
  }

  // ---- stock -----------------------------------------------------------------------------

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

  async function readChunk(chunk: Chunk, accumulators: Map<string, Accumulator>): Promise<void> {
    const materialChain = orChain('Material', chunk.skus);
    const productChain = orChain('Product', chunk.skus);
    const plantChain = orChain('Plant', chunk.plants);
    const [stockRows, productPlantRows, planningRows] = await Promise.all([
      query(STOCK_PATH, {
        filter: `${materialChain} and ${plantChain} and ${storageChain}`,
        select: STOCK_SELECT,
      }),
      query(PRODUCT_PLANT_PATH, {
        filter: `${productChain} and ${plantChain}`,
        select: PRODUCT_PLANT_SELECT,
      }),
      query(SUPPLY_PLANNING_PATH, {
        filter: `${productChain} and ${plantChain}`,
        select: SUPPLY_PLANNING_SELECT,
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
    for (const row of planningRows) {
      const acc = accumulators.get(stockKey(text(row.Product), text(row.Plant)));
      if (!acc) continue;
      acc.safetyStock = acc.safetyStock.plus(decimal(row.SafetyStockQuantity));
    }
  }

  async function fetchSnapshots(
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<{ readAt: number; snapshots: Map<string, StockSnapshot> }> {
    const readAt = now();
    const asOf = new Date(readAt).toISOString();
    const accumulators = new Map<string, Accumulator>();
    for (const sku of skus) {
      for (const plant of locationIds) {
        accumulators.set(stockKey(sku, plant), {
          onHand: new Big(0),
          reserved: new Big(0),
          unavailable: new Big(0),
          safetyStock: new Big(0),
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
          safetyStock: formatQuantity(acc.safetyStock),
          inTransit: formatQuantity(acc.inTransit),
          unitOfMeasure: acc.unitOfMeasure ?? defaultUnit,
          asOf,
        });
      }
    }
    return { readAt, snapshots };
  }

  const cache = new Map<string, CacheEntry>();

  function makeRoom(): void {
    if (cache.size < maxCached) return;
    const t = now();
    for (const [key, entry] of cache) if (entry.expiresAt <= t) cache.delete(key);
    for (const key of cache.keys()) {
      if (cache.size < maxCached * 0.9) break;
      cache.delete(key);
    }
  }

  async function readStock(
    skus: readonly string[],
    locationIds: readonly string[],
  ): Promise<Map<string, StockSnapshot>> {
    const t = now();
    const pending = new Map<string, Promise<StockSnapshot>>();
    const missingSkus = new Set<string>();
    const missingPlants = new Set<string>();
    for (const sku of skus) {
      for (const plant of locationIds) {
        const key = stockKey(sku, plant);
        if (pending.has(key)) continue;
        const cached = stockTtl > 0 ? cache.get(key) : undefined;
        if (cached && cached.expiresAt > t) {
          pending.set(key, cached.promise);
        } else {
          missingSkus.add(sku);
          missingPlants.add(plant);
        }
      }
    }
    if (missingSkus.size > 0) {
      const batch = fetchSnapshots([...missingSkus], [...missingPlants]);
      for (const sku of missingSkus) {
        for (const plant of missingPlants) {
          const key = stockKey(sku, plant);
          const fresh = pending.get(key);
          if (fresh) continue; // cached and still valid: keep its asOf
          const promise = batch.then(({ snapshots }) => snapshots.get(key)!);
          promise.catch(() => undefined); // awaited below or by a later reader; never unhandled
          pending.set(key, promise);
          if (stockTtl <= 0) continue;
          makeRoom();
          const entry: CacheEntry = { promise, expiresAt: Number.POSITIVE_INFINITY };
          cache.set(key, entry);
          batch.then(
            ({ readAt }) => {
              entry.expiresAt = readAt + stockTtl;
            },
            () => {
              if (cache.get(key) === entry) cache.delete(key);
            },
          );
        }
      }
    }
    const keys = [...pending.keys()];
    const snapshots = await Promise.all(keys.map((key) => pending.get(key)!));
    return new Map(keys.map((key, i) => [key, snapshots[i]!]));
  }

  return { listLocations, readStock };
}

// ---- mapping helpers ---------------------------------------------------------------------

const LOCATION_TYPES = new Set<string>(Object.values(LocationType));
const CHANNELS = new Set<string>(Object.values(SalesChannel));

function toLocation(row: ODataRow): Location | undefined {
  const id = text(row.Plant);
  if (!id) return undefined;
  const explicitType = text(row.YY1_LocationType);
  const type = LOCATION_TYPES.has(explicitType)
    ? (explicitType as LocationType)
    : text(row.PlantCategory) === 'B'
      ? LocationType.DC
      : LocationType.STORE;
  return {
    id,
    name: text(row.PlantName) || id,
    type,
    timeZone: text(row.YY1_TimeZone) || 'UTC',
    regionId: text(row.Region) || null,
    country: text(row.Country) || null,
    channels: text(row.YY1_SalesChannels)
      .split(',')
      .map((c) => c.trim())
      .filter((c) => CHANNELS.has(c)) as SalesChannel[],
  };
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value);
}

function decimal(value: unknown): Big {
  const raw = text(value).trim();
  if (raw === '') return new Big(0);
  try {
    return new Big(raw);
  } catch {
    throw backendUnavailable('erp', 'malformed quantity in response');
  }
}

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

/** Maps ERP failures to typed GraphQL errors that never carry the ERP's payload. */
function toErpError(error: unknown, path: string, log: (message: string) => void): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof BackendError) {
    const reason = error.message.replace(/^erp: /, '');
    return backendUnavailable(
      'erp',
      reason.startsWith('unexpected OData') ? 'unexpected response' : reason,
    );
  }
  if (error instanceof ODataError) {
    const entitySet = path.slice(path.lastIndexOf('/') + 1);
    log(
      `[inventory] ERP rejected a ${entitySet} query: HTTP ${error.status} ${error.code} ${error.message}`,
    );
    return backendUnavailable('erp', `request rejected (HTTP ${error.status})`);
  }
  return error;
}
