import { Big } from 'big.js';
import { BackendError, type BackendClient } from '../shared/backend-client.ts';
import { type SalesChannel } from '../shared/canonical/enums.ts';
import { backendUnavailable } from '../shared/errors.ts';
import {
  ODataError,
  OPEN_END_MS,
  chunk,
  dateTimeLiteral,
  literal,
  orChain,
  parseODataDate,
  queryCollection,
  type ODataRow,
} from '../shared/odata-v2.ts';
import { roundMoney, toBig } from './money.ts';
import { MarginBasis, PriceKind } from './pricing-enums.ts';

/**
 * The only file of the pricing subgraph that knows the ERP's wire format (SAP S/4HANA-style
 * OData v2: API_SLSPRICINGCONDITIONRECORD_SRV and API_PRODUCT_SRV). Everything it returns is
 * canonical: SKUs, location ids, channels, decimal strings, ISO dates.
 *
 * Rules (documented here because they are the adapter's decisions):
 * - Prices: `A_SlsPrcgCndnRecdValidity` filtered by condition type (PPR0 list price, ZCLR clearance),
 *   sales organisation, distribution channel (from the canonical channel), plant (chain-wide
 *   `Plant eq ''`, plus the store when one is asked for), an OR-chain of materials (at most
 *   `materialsPerCall` per request) and a validity range covering the day, with
 *   `$expand=to_SlsPrcgConditionRecord`. Condition validity is date-granular: an instant is looked
 *   up on its UTC calendar day (the ERP's `ConditionValidityEndDate` is inclusive).
 * - Precedence among the records valid that day: clearance (ZCLR) over list price (PPR0); then a
 *   store-specific record (Plant = store) over a chain-wide one; then the later validity start;
 *   then the higher record number. Deleted records (`ConditionIsDeleted`), percentage rates and
 *   records whose validity does not cover the day are ignored, even if the server returned them.
 * - The amount is normalised to one base unit: `ConditionRateValue / ConditionQuantity`, rounded
 *   half-up to 2 decimals; `perQuantity` keeps the ERP pricing unit for transparency.
 *   `ConditionValidityEndDate` 9999-12-31 (open-ended) becomes `validTo: null`.
 * - Lookups are grouped by (distribution channel, plant, day): ECOMMERCE and MOBILE share one
 *   distribution channel and therefore one request. A group of N SKUs costs ceil(N / materialsPerCall)
 *   requests (plus `__next` pages when the server pages).
 * - Cost: `A_ProductValuation` for the location's plant (`ValuationArea`); without a location, the
 *   configured `referenceValuationArea`. When there is neither, or that plant has no valuation for
 *   a SKU, the SKU's valuation with the lowest `ValuationArea` id is used (one extra request per
 *   chunk of such SKUs). `InventoryValuationProcedure` `V` means
 *   moving average (`MovingAveragePrice`), anything else standard (`StandardPrice`); either is
 *   divided by `PriceUnitQty` and returned unrounded.
 * - Product master: `A_Product` with `$expand=to_Description` (description in `descriptionLanguage`,
 *   default EN). Products marked for deletion count as unknown.
 * - Errors: a BackendError (5xx after retries, timeout, open circuit) or an OData error answer
 *   becomes BACKEND_UNAVAILABLE naming `erp` and the operation, never the ERP's payload.
 */

const PRICING_SRV = '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV';
const PRODUCT_SRV = '/sap/opu/odata/sap/API_PRODUCT_SRV';
const DAY_MS = 86_400_000;

export type ErpPricingAdapterOptions = {
  /** Sales organisation of every price lookup. Default `1010`. */
  salesOrganization?: string;
  /** Canonical channel → ERP distribution channel. Default ECOMMERCE/MOBILE `10`, POS `20`, MARKETPLACE `30`, LOYALTY `40`. */
  distributionChannels?: Partial<Record<SalesChannel, string>>;
  /** Condition type of the list price. Default `PPR0`. */
  regularConditionType?: string;
  /** Condition type of the clearance price (takes precedence while valid). Default `ZCLR`. */
  clearanceConditionType?: string;
  /** Materials per OR-chain request, so URLs stay short. Default 40. */
  materialsPerCall?: number;
  /** Language of the product name. Default `EN`. */
  descriptionLanguage?: string;
  /**
   * Plant whose valuation is the cost when no location is given (e.g. the main distribution
   * centre). Default none: the SKU's valuation with the lowest ValuationArea id (reads every plant's
   * valuation of the SKU, so set this when there are many plants).
   */
  referenceValuationArea?: string;
};

export const DEFAULT_DISTRIBUTION_CHANNELS: Readonly<Record<SalesChannel, string>> = {
  ECOMMERCE: '10',
  MOBILE: '10',
  POS: '20',
  MARKETPLACE: '30',
  LOYALTY: '40',
};

export type PriceLookup = {
  sku: string;
  /** Store id; `null` = chain-wide price only. */
  locationId: string | null;
  channel: SalesChannel;
  /** Instant, epoch milliseconds. */
  at: number;
};

export type PriceRecord = {
  sku: string;
  kind: PriceKind;
  /** Per one base unit, 2 decimals. */
  amount: string;
  currency: string;
  /** The ERP pricing unit the rate was quoted for (e.g. 10 for "per 10 PC"). */
  perQuantity: number;
  unitOfMeasure: string;
  /** Store the record is specific to; `null` for a chain-wide record. */
  locationId: string | null;
  validFrom: string;
  validTo: string | null;
};

export type ProductRecord = {
  sku: string;
  name: string | null;
  category: string | null;
  brand: string | null;
  baseUnit: string | null;
};

export type CostLookup = { sku: string; locationId: string | null };

export type CostRecord = {
  sku: string;
  /** Unrounded cost of one base unit. */
  amount: string;
  currency: string;
  basis: MarginBasis;
  /** Plant the valuation came from. */
  locationId: string;
};

export type ErpPricingAdapter = {
  /** One result per lookup, in order; `null` when no valid price exists. */
  findPrices(lookups: readonly PriceLookup[]): Promise<(PriceRecord | null)[]>;
  /** One result per SKU, in order; `null` for unknown (or deleted) products. */
  findProducts(skus: readonly string[]): Promise<(ProductRecord | null)[]>;
  /** One result per lookup, in order; `null` when the SKU has no valuation at all. */
  findCosts(lookups: readonly CostLookup[]): Promise<(CostRecord | null)[]>;
};

type Candidate = PriceRecord & { rank: number; startMs: number; record: string };

export function createErpPricingAdapter(
  client: BackendClient,
  options: ErpPricingAdapterOptions = {},
): ErpPricingAdapter {
  const salesOrganization = options.salesOrganization ?? '1010';
  const channels = { ...DEFAULT_DISTRIBUTION_CHANNELS, ...options.distributionChannels };
  const regularType = options.regularConditionType ?? 'PPR0';
  const clearanceType = options.clearanceConditionType ?? 'ZCLR';
  const perCall = Math.max(1, options.materialsPerCall ?? 40);
  const language = (options.descriptionLanguage ?? 'EN').toUpperCase();
  const costPlant = (locationId: string | null): string | null =>
    locationId || options.referenceValuationArea || null;

  async function read(
    operation: string,
    path: string,
    query: Parameters<typeof queryCollection>[2],
  ) {
    try {
      return await queryCollection(client, path, query);
    } catch (error) {
      throw erpFailure(operation, error);
    }
  }

  /** Best valid record per SKU for one (distribution channel, plant, day) group. */
  async function pricesForGroup(
    distributionChannel: string,
    plant: string | null,
    dayMs: number,
    skus: readonly string[],
  ): Promise<Map<string, PriceRecord>> {
    const best = new Map<string, Candidate>();
    const wanted = new Set(skus);
    const day = dateTimeLiteral(dayMs);
    const calls = chunk(skus, perCall).map(async (materials) => {
      const filter = [
        orChain('ConditionType', [clearanceType, regularType]),
        `SalesOrganization eq ${literal(salesOrganization)}`,
        `DistributionChannel eq ${literal(distributionChannel)}`,
        plant ? orChain('Plant', ['', plant]) : `Plant eq ''`,
        orChain('Material', materials),
        `ConditionValidityStartDate le ${day}`,
        `ConditionValidityEndDate ge ${day}`,
      ].join(' and ');
      const rows = await read('price lookup', `${PRICING_SRV}/A_SlsPrcgCndnRecdValidity`, {
        filter,
        expand: ['to_SlsPrcgConditionRecord'],
      });
      for (const row of rows) {
        const candidate = toCandidate(row, { plant, dayMs, wanted, regularType, clearanceType });
        if (!candidate) continue;
        const current = best.get(candidate.sku);
        if (!current || outranks(candidate, current)) best.set(candidate.sku, candidate);
      }
    });
    await Promise.all(calls);
    const result = new Map<string, PriceRecord>();
    for (const [sku, { rank: _rank, startMs: _startMs, record: _record, ...price }] of best) {
      result.set(sku, price);
    }
    return result;
  }

  async function valuations(
    skus: readonly string[],
    plant: string | null,
  ): Promise<Map<string, CostRecord>> {
    const found = new Map<string, CostRecord>();
    const calls = chunk(skus, perCall).map(async (products) => {
      const filter = [
        orChain('Product', products),
        ...(plant ? [`ValuationArea eq ${literal(plant)}`] : []),
      ].join(' and ');
      const rows = await read('cost lookup', `${PRODUCT_SRV}/A_ProductValuation`, { filter });
      const sorted = rows
        .map(toCost)
        .filter(
          (c): c is CostRecord & { valuationType: string } =>
            c !== undefined && products.includes(c.sku),
        )
        .sort(
          (a, b) =>
            compareText(a.locationId, b.locationId) ||
            compareText(a.valuationType, b.valuationType),
        );
      for (const { valuationType: _type, ...cost } of sorted) {
        if (!plant || cost.locationId === plant) {
          if (!found.has(cost.sku)) found.set(cost.sku, cost);
        }
      }
    });
    await Promise.all(calls);
    return found;
  }

  return {
    async findPrices(lookups) {
      const groups = new Map<
        string,
        { dc: string; plant: string | null; dayMs: number; skus: Set<string> }
      >();
      const groupKeys = lookups.map((lookup) => {
        const dc = channels[lookup.channel];
        if (dc === undefined)
          throw new Error(`no distribution channel configured for ${lookup.channel}`);
        const plant = lookup.locationId || null;
        const dayMs = Math.floor(lookup.at / DAY_MS) * DAY_MS;
        const key = `${dc}|${plant ?? ''}|${dayMs}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { dc, plant, dayMs, skus: new Set() }));
        group.skus.add(lookup.sku);
        return key;
      });
      const results = new Map<string, Map<string, PriceRecord>>();
      await Promise.all(
        [...groups].map(async ([key, g]) => {
          results.set(key, await pricesForGroup(g.dc, g.plant, g.dayMs, [...g.skus]));
        }),
      );
      return lookups.map((lookup, i) => results.get(groupKeys[i]!)?.get(lookup.sku) ?? null);
    },

    async findProducts(skus) {
      const unique = [...new Set(skus)];
      const found = new Map<string, ProductRecord>();
      await Promise.all(
        chunk(unique, perCall).map(async (products) => {
          const rows = await read('product lookup', `${PRODUCT_SRV}/A_Product`, {
            filter: orChain('Product', products),
            expand: ['to_Description'],
          });
          for (const row of rows) {
            const product = toProduct(row, language);
            if (product && products.includes(product.sku)) found.set(product.sku, product);
          }
        }),
      );
      return skus.map((sku) => found.get(sku) ?? null);
    },

    async findCosts(lookups) {
      const byPlant = new Map<string | null, Set<string>>();
      for (const { sku, locationId } of lookups) {
        const plant = costPlant(locationId);
        let set = byPlant.get(plant);
        if (!set) byPlant.set(plant, (set = new Set()));
        set.add(sku);
      }
      const results = new Map<string | null, Map<string, CostRecord>>();
      await Promise.all(
        [...byPlant].map(async ([plant, skus]) => {
          results.set(plant, await valuations([...skus], plant));
        }),
      );
      // SKUs without a valuation at their plant fall back to their first valuation anywhere.
      const missing = new Set<string>();
      for (const [plant, skus] of byPlant) {
        if (plant === null) continue;
        for (const sku of skus)
          if (!results.get(plant)?.has(sku) && !results.get(null)?.has(sku)) missing.add(sku);
      }
      const fallback = missing.size
        ? await valuations([...missing], null)
        : new Map<string, CostRecord>();
      const chainWide = results.get(null);
      return lookups.map(({ sku, locationId }) => {
        const plant = costPlant(locationId);
        return results.get(plant)?.get(sku) ?? chainWide?.get(sku) ?? fallback.get(sku) ?? null;
      });
    },
  };
}

/** Maps a failed ERP call to BACKEND_UNAVAILABLE without the ERP's payload; other errors pass through. */
export function erpFailure(operation: string, error: unknown): unknown {
  if (error instanceof ODataError)
    return backendUnavailable('erp', `${operation} failed (HTTP ${error.status})`);
  if (error instanceof BackendError) {
    const reason = error.message.startsWith(`${error.backend}: `)
      ? error.message.slice(error.backend.length + 2)
      : error.message;
    return backendUnavailable('erp', `${operation} failed (${reason})`);
  }
  return error;
}

function toCandidate(
  row: ODataRow,
  ctx: {
    plant: string | null;
    dayMs: number;
    wanted: Set<string>;
    regularType: string;
    clearanceType: string;
  },
): Candidate | undefined {
  const sku = text(row.Material);
  if (!sku || !ctx.wanted.has(sku)) return undefined;
  const rowPlant = text(row.Plant) ?? '';
  if (rowPlant !== '' && rowPlant !== ctx.plant) return undefined;
  const type = text(row.ConditionType);
  const kind =
    type === ctx.clearanceType
      ? PriceKind.CLEARANCE
      : type === ctx.regularType
        ? PriceKind.REGULAR
        : undefined;
  if (!kind) return undefined;
  const startMs = parseODataDate(row.ConditionValidityStartDate);
  const endMs = parseODataDate(row.ConditionValidityEndDate);
  if (startMs === undefined || endMs === undefined) return undefined;
  if (startMs > ctx.dayMs || endMs < ctx.dayMs) return undefined;
  const record = navigationEntity(row.to_SlsPrcgConditionRecord);
  if (!record || record.ConditionIsDeleted === true || record.ConditionIsDeleted === 'X')
    return undefined;
  const rate = toBig(record.ConditionRateValue);
  const currency = text(record.ConditionRateValueUnit);
  const per = toBig(record.ConditionQuantity ?? '1');
  if (!rate || !currency || currency === '%' || !per || per.lte(0)) return undefined;
  const storeSpecific = rowPlant !== '';
  return {
    sku,
    kind,
    amount: roundMoney(rate.div(per)),
    currency,
    perQuantity: Number(per.toFixed(0)),
    unitOfMeasure: text(record.ConditionQuantityUnit) ?? 'PC',
    locationId: storeSpecific ? rowPlant : null,
    validFrom: isoDate(startMs),
    validTo: endMs >= OPEN_END_MS ? null : isoDate(endMs),
    rank: (kind === PriceKind.CLEARANCE ? 2 : 0) + (storeSpecific ? 1 : 0),
    startMs,
    record: text(row.ConditionRecord) ?? '',
  };
}

function outranks(a: Candidate, b: Candidate): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (a.startMs !== b.startMs) return a.startMs > b.startMs;
  return a.record > b.record;
}

function toProduct(row: ODataRow, language: string): ProductRecord | undefined {
  const sku = text(row.Product);
  if (!sku || row.IsMarkedForDeletion === true) return undefined;
  const descriptions = navigationRows(row.to_Description);
  const description = descriptions.find((d) => text(d.Language)?.toUpperCase() === language);
  return {
    sku,
    name: text(description?.ProductDescription) ?? null,
    category: text(row.ProductGroup) ?? null,
    brand: text(row.Brand) ?? null,
    baseUnit: text(row.BaseUnit) ?? null,
  };
}

function toCost(row: ODataRow): (CostRecord & { valuationType: string }) | undefined {
  const sku = text(row.Product);
  const plant = text(row.ValuationArea);
  const currency = text(row.Currency);
  if (!sku || !plant || !currency) return undefined;
  const moving = row.InventoryValuationProcedure === 'V';
  const price = toBig(moving ? row.MovingAveragePrice : row.StandardPrice);
  const unit = toBig(row.PriceUnitQty ?? '1');
  if (!price) return undefined;
  const divisor = unit && unit.gt(0) ? unit : new Big(1);
  return {
    sku,
    amount: price.div(divisor).toString(),
    currency,
    basis: moving ? MarginBasis.MOVING_AVERAGE_COST : MarginBasis.STANDARD_COST,
    locationId: plant,
    valuationType: text(row.ValuationType) ?? '',
  };
}

/** A to-one navigation arrives as the entity itself (or, from some servers, wrapped in `results`). */
function navigationEntity(value: unknown): ODataRow | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const results = (value as { results?: unknown }).results;
  if (Array.isArray(results)) return results[0] as ODataRow | undefined;
  return value as ODataRow;
}

function navigationRows(value: unknown): ODataRow[] {
  if (Array.isArray(value)) return value as ODataRow[];
  const results = (value as { results?: unknown } | undefined)?.results;
  return Array.isArray(results) ? (results as ODataRow[]) : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
