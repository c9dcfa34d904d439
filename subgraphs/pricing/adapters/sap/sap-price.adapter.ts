import type { ODataCollectionReader } from '../../../shared/odata-v2-batch.ts';
import {
  OPEN_END_MS,
  chunk,
  dateTimeLiteral,
  literal,
  orChain,
  parseODataDate,
  type ODataRow,
} from '../../../shared/odata-v2.ts';
import { roundMoney, toBig } from '../../money.ts';
import { PriceKind } from '../../pricing-enums.ts';
import type { PriceRecord, PriceSource } from '../../ports/price-source.port.ts';
import {
  DEFAULT_DISTRIBUTION_CHANNELS,
  PRICE_VALIDITY_SET,
  materialsPerCall,
  type SapPricingOptions,
} from './sap-pricing.options.ts';
import { navigationEntity, sapRead, text } from './sap-read.ts';

/**
 * The price port over SAP S/4HANA-style OData v2 (`API_SLSPRICINGCONDITIONRECORD_SRV`). Its
 * rules (the adapter's decisions):
 * - `A_SlsPrcgCndnRecdValidity` filtered by condition type (PPR0 list price, ZCLR clearance),
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
 * - Errors: a BackendError (5xx after retries, timeout, open circuit) or an OData error answer
 *   becomes BACKEND_UNAVAILABLE naming `erp` and the operation, never the ERP's payload.
 */

const DAY_MS = 86_400_000;

type Candidate = Omit<PriceRecord, 'asOf'> & { rank: number; startMs: number; record: string };

export function createSapPriceSource(
  reader: ODataCollectionReader,
  options: SapPricingOptions = {},
): PriceSource {
  const salesOrganization = options.salesOrganization ?? '1010';
  const channels = { ...DEFAULT_DISTRIBUTION_CHANNELS, ...options.distributionChannels };
  const regularType = options.regularConditionType ?? 'PPR0';
  const clearanceType = options.clearanceConditionType ?? 'ZCLR';
  const perCall = materialsPerCall(options);

  /** Best valid record per SKU for one (distribution channel, plant, day) group. */
  async function pricesForGroup(
    distributionChannel: string,
    plant: string | null,
    dayMs: number,
    skus: readonly string[],
  ): Promise<Map<string, PriceRecord>> {
    const best = new Map<string, Candidate>();
    const wanted = new Set(skus);
    const asOf = new Date().toISOString();
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
      const rows = await sapRead(reader, 'price lookup', PRICE_VALIDITY_SET, {
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
      result.set(sku, { ...price, asOf });
    }
    return result;
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
  };
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

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
