import type { ServerResponse } from 'node:http';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';

/**
 * A tiny SAP-style OData v2 server for the inventory adapter tests (until and besides the real
 * emulator): the four entity sets the adapter reads, `$filter` limited to AND-ed OR-chains of
 * `Field eq 'value'` (what the adapter sends), `$select`, server-driven paging with `__next` /
 * `$skiptoken`, SAP error envelopes, per-entity-set call counters and fault injection.
 */

export type Row = Record<string, string>;
export type EntitySet =
  'A_Plant' | 'A_MatlStkInAcctMod' | 'A_ProductPlant' | 'A_ProductSupplyPlanning';

export type ErpFixtureData = {
  plants: Row[];
  stock: Row[];
  productPlants: Row[];
  supplyPlanning: Row[];
};

const ROUTES: Record<string, { set: EntitySet; key: keyof ErpFixtureData; type: string }> = {
  '/sap/opu/odata/sap/API_PLANT_SRV/A_Plant': {
    set: 'A_Plant',
    key: 'plants',
    type: 'API_PLANT_SRV.A_PlantType',
  },
  '/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod': {
    set: 'A_MatlStkInAcctMod',
    key: 'stock',
    type: 'API_MATERIAL_STOCK_SRV.A_MatlStkInAcctModType',
  },
  '/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductPlant': {
    set: 'A_ProductPlant',
    key: 'productPlants',
    type: 'API_PRODUCT_SRV.A_ProductPlantType',
  },
  '/sap/opu/odata/sap/API_PRODUCT_SRV/A_ProductSupplyPlanning': {
    set: 'A_ProductSupplyPlanning',
    key: 'supplyPlanning',
    type: 'API_PRODUCT_SRV.A_ProductSupplyPlanningType',
  },
};

export type ErpFixture = {
  url: string;
  /** Every request line seen (`GET /path?query`). */
  requests: string[];
  /** Calls per entity set since start or the last `resetCounts`. */
  counts(): Record<EntitySet, number>;
  resetCounts(): void;
  /** Answer every call to `set` with this HTTP status (SAP error body) until cleared. */
  fail(set: EntitySet, status: number | undefined): void;
  data: ErpFixtureData;
  close(): Promise<void>;
};

export async function startErpFixture(
  data: ErpFixtureData,
  options: { pageSize?: number } = {},
): Promise<ErpFixture> {
  const pageSize = options.pageSize ?? 1000;
  const failures = new Map<EntitySet, number>();
  let counts = emptyCounts();

  const fixture = await startHttpFixture((_req, res, url) => {
    const route = ROUTES[url.pathname];
    if (!route) {
      sapError(res, 404, '/IWFND/CM_MGW/020', `Resource not found for segment '${url.pathname}'`);
      return;
    }
    counts[route.set] += 1;
    const failure = failures.get(route.set);
    if (failure !== undefined) {
      sapError(res, failure, 'ZFIXTURE/001', `Injected failure on ${route.set} (secret detail)`);
      return;
    }
    const filter = parseFilter(url.searchParams.get('$filter') ?? '');
    if (filter === undefined) {
      sapError(res, 400, '/IWBEP/CM_MGW_RT/022', 'Invalid filter expression');
      return;
    }
    const select = url.searchParams.get('$select')?.split(',');
    const rows = data[route.key].filter((row) =>
      [...filter].every(([field, values]) => values.has(row[field] ?? '')),
    );
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const page = rows.slice(skip, skip + pageSize).map((row, i) => ({
      __metadata: {
        id: `${url.origin}${url.pathname}('${skip + i}')`,
        uri: `${url.origin}${url.pathname}('${skip + i}')`,
        type: route.type,
      },
      ...(select ? Object.fromEntries(select.map((f) => [f, row[f] ?? ''])) : row),
    }));
    const d: Record<string, unknown> = { results: page };
    if (skip + pageSize < rows.length) {
      const next = new URLSearchParams(url.searchParams);
      next.set('$skiptoken', String(skip + pageSize));
      d.__next = `http://erp.example${url.pathname}?${next.toString()}`;
    }
    sendJson(res, 200, { d });
  });

  return {
    url: fixture.url,
    requests: fixture.requests,
    counts: () => ({ ...counts }),
    resetCounts: () => {
      counts = emptyCounts();
      fixture.requests.length = 0;
    },
    fail: (set, status) => {
      if (status === undefined) failures.delete(set);
      else failures.set(set, status);
    },
    data,
    close: fixture.close,
  };
}

function emptyCounts(): Record<EntitySet, number> {
  return { A_Plant: 0, A_MatlStkInAcctMod: 0, A_ProductPlant: 0, A_ProductSupplyPlanning: 0 };
}

/** `(F eq 'a' or F eq 'b') and G eq 'c'` → {F: {a, b}, G: {c}}; undefined when not that shape. */
function parseFilter(filter: string): Map<string, Set<string>> | undefined {
  const out = new Map<string, Set<string>>();
  if (filter.trim() === '') return out;
  for (const conjunct of filter.split(/\)? and \(?/)) {
    const clause = conjunct.replace(/^\(|\)$/g, '');
    let field: string | undefined;
    const values = new Set<string>();
    for (const part of clause.split(' or ')) {
      const m = /^(\w+) eq '((?:[^']|'')*)'$/.exec(part.trim());
      if (!m || (field !== undefined && field !== m[1])) return undefined;
      field = m[1]!;
      values.add(m[2]!.replace(/''/g, "'"));
    }
    if (field === undefined) return undefined;
    out.set(field, values);
  }
  return out;
}

function sapError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, {
    error: {
      code,
      message: { lang: 'en', value: message },
      innererror: {
        transactionid: '0123456789ABCDEF0123456789ABCDEF',
        timestamp: '20260101120000.0000000',
        Error_Resolution: {
          SAP_Transaction: 'Run transaction /IWFND/ERROR_LOG',
          SAP_Note: 'See SAP Note 1797736',
        },
        errordetails: [],
      },
    },
  });
}

// ---- data builders -------------------------------------------------------------------------

export function plant(
  id: string,
  name: string,
  type: string,
  channels: string,
  extra: Partial<Row> = {},
): Row {
  return {
    Plant: id,
    PlantName: name,
    PlantCategory: type === 'DC' ? 'B' : 'A',
    SalesOrganization: '1010',
    DistributionChannel: '10',
    CityName: 'Berlin',
    Region: 'BE',
    Country: 'DE',
    YY1_TimeZone: 'Europe/Berlin',
    YY1_LocationType: type,
    YY1_SalesChannels: channels,
    ...extra,
  };
}

/** One `A_MatlStkInAcctMod` row (11-part key; unset parts empty, as in SAP). */
export function stockRow(
  material: string,
  plantId: string,
  storageLocation: string,
  stockType: string,
  quantity: string,
  batch = '',
): Row {
  return {
    Material: material,
    Plant: plantId,
    StorageLocation: storageLocation,
    Batch: batch,
    Supplier: '',
    Customer: '',
    WBSElementInternalID: '00000000',
    SDDocument: '',
    SDDocumentItem: '000000',
    InventorySpecialStockType: '',
    InventoryStockType: stockType,
    MatlWrhsStkQtyInMatlBaseUnit: quantity,
    MaterialBaseUnit: 'PC',
  };
}

export function productPlant(
  product: string,
  plantId: string,
  values: {
    reserved?: string;
    grBlocked?: string;
    inTransit?: string;
    inTransfer?: string;
  } = {},
): Row {
  return {
    Product: product,
    Plant: plantId,
    StockInTransitQuantity: values.inTransit ?? '0.000',
    StockInTransferQuantity: values.inTransfer ?? '0.000',
    GoodsReceiptBlockedStockQty: values.grBlocked ?? '0.000',
    YY1_ReservedQuantity: values.reserved ?? '0.000',
  };
}

export function supplyPlanning(product: string, plantId: string, safetyStock: string): Row {
  return { Product: product, Plant: plantId, SafetyStockQuantity: safetyStock };
}

/**
 * The small world most tests use:
 * - TG11 at 1001: onHand 10 + 5.5 (two batches, sales floor) + 4 (back room) = 19.5;
 *   unavailable 1 (QI) + 2 (blocked) + 0.5 (GR blocked) = 3.5; reserved 3; safety 2 → ATP 11;
 *   returns (0009) ignored; inTransit 6 + 1 = 7.
 * - TG11 at 1002: onHand 6, reserved 1 → ATP 5 → LOW_STOCK.
 * - TG12 at 1001: onHand 2, reserved 2 → ATP 0 with 10 in transit → BACKORDERABLE.
 * - TG12 at 1002: nothing → OUT_OF_STOCK.
 */
export function smallWorld(): ErpFixtureData {
  return {
    plants: [
      plant('1002', 'Munich Marienplatz', 'STORE', 'POS', { Region: 'BY', CityName: 'Munich' }),
      plant('1001', 'Berlin Mitte', 'STORE', 'POS,ECOMMERCE'),
      plant('1003', 'Hamburg Dark Store', 'DARK_STORE', 'ECOMMERCE,MOBILE', { Region: 'HH' }),
      plant('1900', 'Online FC Erfurt', 'ONLINE_FC', 'ECOMMERCE,MOBILE,MARKETPLACE', {
        Region: 'TH',
      }),
      plant('2000', 'DC Kassel', 'DC', '', { Region: 'HE' }),
      plant('3001', 'Vienna Store', '', 'POS, NOT_A_CHANNEL', {
        Region: '',
        Country: 'AT',
        YY1_TimeZone: 'Europe/Vienna',
      }),
    ],
    stock: [
      stockRow('TG11', '1001', '0001', '01', '10.000', 'B1'),
      stockRow('TG11', '1001', '0001', '01', '5.500', 'B2'),
      stockRow('TG11', '1001', '0002', '01', '4.000'),
      stockRow('TG11', '1001', '0002', '02', '1.000'),
      stockRow('TG11', '1001', '0001', '07', '2.000'),
      stockRow('TG11', '1001', '0009', '01', '7.000'),
      stockRow('TG11', '1002', '0001', '01', '6.000'),
      stockRow('TG12', '1001', '0001', '01', '2.000'),
    ],
    productPlants: [
      productPlant('TG11', '1001', {
        reserved: '3.000',
        grBlocked: '0.500',
        inTransit: '6.000',
        inTransfer: '1.000',
      }),
      productPlant('TG11', '1002', { reserved: '1.000' }),
      productPlant('TG12', '1001', { reserved: '2.000', inTransit: '10.000' }),
      productPlant('TG12', '1002'),
    ],
    supplyPlanning: [
      supplyPlanning('TG11', '1001', '2.000'),
      supplyPlanning('TG11', '1002', '0.000'),
    ],
  };
}

/** `skus` SKUs (`SKU-0001`...) x `stores` stores (`S001`...), each pair with a few stock rows. */
export function generatedWorld(skus: number, stores: number): ErpFixtureData {
  const data: ErpFixtureData = { plants: [], stock: [], productPlants: [], supplyPlanning: [] };
  for (let s = 1; s <= stores; s++) {
    data.plants.push(plant(`S${String(s).padStart(3, '0')}`, `Store ${s}`, 'STORE', 'POS'));
  }
  for (let k = 1; k <= skus; k++) {
    const sku = `SKU-${String(k).padStart(4, '0')}`;
    for (let s = 1; s <= stores; s++) {
      const plantId = `S${String(s).padStart(3, '0')}`;
      data.stock.push(stockRow(sku, plantId, '0001', '01', String(k)));
      data.stock.push(stockRow(sku, plantId, '0002', '01', String(s)));
      data.productPlants.push(productPlant(sku, plantId, { reserved: '1.000' }));
      data.supplyPlanning.push(supplyPlanning(sku, plantId, '0.000'));
    }
  }
  return data;
}
