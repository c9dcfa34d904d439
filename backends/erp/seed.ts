import type { Row } from '../odata/edm.ts';
import { createRng, hashInts } from './prng.ts';
import { pad, utcDay } from './format.ts';
import { BRANDS, CITIES, LEGAL_FORMS, NOUNS, NOUNS_DE, SIZES, VENDOR_WORDS } from './seed-names.ts';
import { seedContracts, type ContractSeed } from './seed-contracts.ts';

export type SeedOptions = {
  skus: number;
  locations: number;
  vendors: number;
  /** PRNG seed; the same options always give byte-identical data. Default 20260101. */
  seed?: number;
};

/** Per-SKU numbers the lazily derived rows (prices, cost, stock) are computed from. */
export type ProductMeta = {
  /** Chain list price per base unit, in cents. */
  priceCents: Uint32Array;
  /** Margin of the list price over cost, in basis points (2000..6000). */
  marginBp: Uint16Array;
  /** Pricing unit of the PPR0 records (1 or 10). */
  pricingUnit: Uint8Array;
  /** 0-based index into `ErpSeed.suppliers` of the SKU's main vendor. */
  supplierIdx: Uint16Array;
  descriptionEn: string[];
  descriptionDe: string[];
};

export type ErpSeed = {
  options: Required<SeedOptions>;
  products: Row[];
  meta: ProductMeta;
  plants: Row[];
  suppliers: Row[];
  contracts: ContractSeed[];
  productsByGroup: Map<string, number[]>;
  productsBySupplier: Map<string, number[]>;
};

export const PRODUCT_GROUPS = 30;
export const DEFAULT_SEED = 20260101;

/** `SKU000123` → 123 when it names a seeded SKU, else undefined. */
export function skuIndex(seed: ErpSeed, sku: string): number | undefined {
  if (!/^SKU\d{6}$/.test(sku)) return undefined;
  const n = Number(sku.slice(3));
  return n >= 1 && n <= seed.options.skus ? n : undefined;
}

export function skuId(n: number): string {
  return `SKU${pad(n, 6)}`;
}

export function createSeed(options: SeedOptions): ErpSeed {
  const opts: Required<SeedOptions> = { seed: DEFAULT_SEED, ...options };
  if (opts.skus < 1 || opts.skus > 999_999) throw new Error('skus must be within 1..999999');
  if (opts.vendors < 1 || opts.vendors > 899_999) throw new Error('vendors must be >= 1');
  const suppliers = seedSuppliers(opts);
  const plants = seedPlants(opts);
  const n = opts.skus;
  const meta: ProductMeta = {
    priceCents: new Uint32Array(n + 1),
    marginBp: new Uint16Array(n + 1),
    pricingUnit: new Uint8Array(n + 1),
    supplierIdx: new Uint16Array(n + 1),
    descriptionEn: new Array<string>(n + 1).fill(''),
    descriptionDe: new Array<string>(n + 1).fill(''),
  };
  const products: Row[] = [];
  const productsByGroup = new Map<string, number[]>();
  const productsBySupplier = new Map<string, number[]>();
  const changeBase = utcDay('2025-06-01');
  for (let i = 1; i <= n; i++) {
    const rng = createRng(hashInts(opts.seed, 1, i));
    const group = rng.int(1, PRODUCT_GROUPS);
    const groupId = `GRP${pad(group, 3)}`;
    const supplierIdx = (group * 7 + rng.int(0, 2)) % suppliers.length;
    const supplier = suppliers[supplierIdx]!.Supplier as string;
    const brand = BRANDS[(group + rng.int(0, 3)) % BRANDS.length]!;
    const noun = rng.int(0, NOUNS.length - 1);
    const size = rng.pick(SIZES);
    meta.descriptionEn[i] = `${brand} ${NOUNS[noun]!} ${size}`;
    meta.descriptionDe[i] = `${brand} ${NOUNS_DE[noun]!} ${size}`;
    meta.priceCents[i] = rng.int(1, 99) * 100 + rng.pick([99, 49, 95, 29, 0]);
    meta.marginBp[i] = rng.int(2000, 6000);
    meta.pricingUnit[i] = rng.chance(0.05) ? 10 : 1;
    meta.supplierIdx[i] = supplierIdx;
    products.push({
      Product: skuId(i),
      ProductType: 'HAWA',
      CrossPlantStatus: '',
      ProductGroup: groupId,
      BaseUnit: 'PC',
      Brand: brand,
      Division: '00',
      ProductHierarchy: `01${pad(group, 3)}${pad(rng.int(1, 9), 2)}`,
      IsMarkedForDeletion: rng.chance(0.01),
      LastChangeDateTime: changeBase + rng.int(0, 500) * 3_600_000,
      YY1_Supplier: supplier,
    });
    push(productsByGroup, groupId, i);
    push(productsBySupplier, supplier, i);
  }
  return {
    options: opts,
    products,
    meta,
    plants,
    suppliers,
    contracts: seedContracts(opts.seed, suppliers, productsBySupplier, products),
    productsByGroup,
    productsBySupplier,
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function seedSuppliers(opts: Required<SeedOptions>): Row[] {
  const rows: Row[] = [];
  for (let v = 1; v <= opts.vendors; v++) {
    const rng = createRng(hashInts(opts.seed, 4, v));
    const city = rng.pick(CITIES);
    rows.push({
      Supplier: `V${100000 + v}`,
      SupplierName: `${VENDOR_WORDS[(v - 1) % VENDOR_WORDS.length]!} ${rng.pick(LEGAL_FORMS)}${
        v > VENDOR_WORDS.length ? ` ${Math.ceil(v / VENDOR_WORDS.length)}` : ''
      }`,
      Country: city[2],
      CityName: city[0],
      SupplierAccountGroup: 'SUPL',
      PostingIsBlocked: false,
    });
  }
  return rows;
}

type PlantKind = 'STORE' | 'DC' | 'DARK_STORE' | 'ONLINE_FC';

/** Stores S001.. plus two DCs, one dark store and one online fulfilment centre. */
function seedPlants(opts: Required<SeedOptions>): Row[] {
  const stores = Math.max(1, opts.locations - 4);
  const specs: [string, PlantKind][] = [
    ['D001', 'DC'],
    ['D002', 'DC'],
    ['F001', 'ONLINE_FC'],
    ['K001', 'DARK_STORE'],
  ];
  for (let s = 1; s <= stores; s++) specs.push([`S${pad(s, 3)}`, 'STORE']);
  return specs.map(([id, kind], index) => {
    const rng = createRng(hashInts(opts.seed, 3, index));
    const city =
      kind === 'STORE' ? CITIES[(index * 3 + rng.int(0, 2)) % CITIES.length]! : CITIES[index % 6]!;
    return {
      Plant: id,
      PlantName: `${LABELS[kind]} ${city[0]} ${id}`,
      PlantCategory: kind === 'STORE' || kind === 'DARK_STORE' ? 'A' : 'B',
      SalesOrganization: '1010',
      DistributionChannel: kind === 'STORE' ? '20' : '10',
      CityName: city[0],
      Region: city[1],
      Country: city[2],
      Language: 'EN',
      YY1_TimeZone: city[3],
      YY1_LocationType: kind,
      YY1_SalesChannels: CHANNELS[kind],
    };
  });
}

const LABELS: Record<PlantKind, string> = {
  STORE: 'Store',
  DC: 'Distribution Centre',
  DARK_STORE: 'Dark Store',
  ONLINE_FC: 'Online Fulfilment',
};
const CHANNELS: Record<PlantKind, string> = {
  STORE: 'POS,LOYALTY',
  DC: '',
  DARK_STORE: 'ECOMMERCE,MOBILE',
  ONLINE_FC: 'ECOMMERCE,MOBILE,MARKETPLACE',
};
