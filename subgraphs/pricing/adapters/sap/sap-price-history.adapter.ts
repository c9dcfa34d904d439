import type { Big } from 'big.js';
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
import type {
  PastPromotionalPrice,
  PriceHistoryLookup,
  PriceHistorySource,
} from '../../ports/price-history-source.port.ts';
import {
  PRICE_VALIDITY_SET,
  materialsPerCall,
  type SapPricingOptions,
} from './sap-pricing.options.ts';
import { navigationEntity, sapRead, text } from './sap-read.ts';

/**
 * The price-history port over SAP S/4HANA-style OData v2 (`API_SLSPRICINGCONDITIONRECORD_SRV`).
 * Its rules (the adapter's decisions):
 * - One read of `A_SlsPrcgCndnRecdValidity` per chunk of at most `materialsPerCall` SKUs (and
 *   window): condition type promotional (default `VKA0`) or list price (PPR0), the sales
 *   organisation, an OR-chain of materials, validity overlapping the window
 *   (`ConditionValidityStartDate le <last day> and ConditionValidityEndDate ge <first day>`),
 *   `$expand=to_SlsPrcgConditionRecord`. Every distribution channel and plant is read: the history
 *   is the SKU's, not one channel's. Never one request per SKU or per store.
 * - A promotional record counts when it is not deleted and its validity overlaps the window.
 *   Amount records are normalised per base unit (`ConditionRateValue / ConditionQuantity`) and
 *   compared with the list price of the same distribution channel valid on the promotion's first
 *   day inside the window (a store record over a chain-wide one for a store promotion; then the
 *   later start, the higher record number), in the same currency; its discount is
 *   (list − promotional) / list × 100. A percentage record (`%`) is a discount of |rate| percent.
 *   A promotional amount record without such a list price cannot say its discount and is left out.
 * - Errors: BACKEND_UNAVAILABLE naming `erp` and the operation (`sapRead`), never the payload:
 *   the caller fails closed.
 */

const DAY_MS = 86_400_000;

type Regular = {
  dc: string;
  plant: string;
  startMs: number;
  endMs: number;
  perUnit: Big;
  currency: string;
  record: string;
};
type Promo = {
  dc: string;
  plant: string;
  startMs: number;
  endMs: number;
  rate: Big;
  per: Big;
  currency: string;
};

export function createSapPriceHistorySource(
  reader: ODataCollectionReader,
  options: SapPricingOptions = {},
): PriceHistorySource {
  const salesOrganization = options.salesOrganization ?? '1010';
  const regularType = options.regularConditionType ?? 'PPR0';
  const promoType = options.promotionalConditionType ?? 'VKA0';
  const perCall = materialsPerCall(options);

  async function historyForWindow(
    fromMs: number,
    toMs: number,
    skus: readonly string[],
  ): Promise<Map<string, PastPromotionalPrice[]>> {
    const regulars = new Map<string, Regular[]>();
    const promos = new Map<string, Promo[]>();
    const wanted = new Set(skus);
    await Promise.all(
      chunk(skus, perCall).map(async (materials) => {
        const filter = [
          orChain('ConditionType', [promoType, regularType]),
          `SalesOrganization eq ${literal(salesOrganization)}`,
          orChain('Material', materials),
          `ConditionValidityStartDate le ${dateTimeLiteral(toMs)}`,
          `ConditionValidityEndDate ge ${dateTimeLiteral(fromMs)}`,
        ].join(' and ');
        const rows = await sapRead(reader, 'price history lookup', PRICE_VALIDITY_SET, {
          filter,
          expand: ['to_SlsPrcgConditionRecord'],
        });
        for (const row of rows) {
          const parsed = parseRow(row, wanted);
          if (!parsed || parsed.endMs < fromMs || parsed.startMs > toMs) continue;
          if (parsed.type === regularType) {
            if (parsed.currency === '%' || parsed.per.lte(0)) continue;
            const list = regulars.get(parsed.sku) ?? [];
            list.push({ ...parsed, perUnit: parsed.rate.div(parsed.per) });
            regulars.set(parsed.sku, list);
          } else if (parsed.type === promoType) {
            const list = promos.get(parsed.sku) ?? [];
            list.push(parsed);
            promos.set(parsed.sku, list);
          }
        }
      }),
    );
    const result = new Map<string, PastPromotionalPrice[]>();
    for (const [sku, list] of promos) {
      const out: PastPromotionalPrice[] = [];
      for (const p of [...list].sort((a, b) => a.startMs - b.startMs)) {
        const base = {
          sku,
          locationId: p.plant || null,
          validFrom: isoDate(p.startMs),
          validTo: p.endMs >= OPEN_END_MS ? null : isoDate(p.endMs),
        };
        if (p.currency === '%') {
          out.push({
            ...base,
            regularAmount: null,
            promotionalAmount: null,
            currency: null,
            discountPercent: p.rate.abs().toFixed(),
          });
          continue;
        }
        if (p.per.lte(0)) continue;
        const day = Math.max(p.startMs, fromMs);
        const regular = regularAt(regulars.get(sku) ?? [], p, day);
        if (!regular || regular.currency !== p.currency || regular.perUnit.lte(0)) continue;
        const promo = p.rate.div(p.per);
        out.push({
          ...base,
          regularAmount: roundMoney(regular.perUnit),
          promotionalAmount: roundMoney(promo),
          currency: p.currency,
          discountPercent: regular.perUnit.minus(promo).div(regular.perUnit).times(100).toFixed(),
        });
      }
      result.set(sku, out);
    }
    return result;
  }

  return {
    async findPromotionalHistory(lookups: readonly PriceHistoryLookup[]) {
      const windows = new Map<string, { fromMs: number; toMs: number; skus: Set<string> }>();
      for (const { sku, from, to } of lookups) {
        const key = `${from}|${to}`;
        let w = windows.get(key);
        if (!w) {
          const fromMs = Date.parse(`${from}T00:00:00Z`);
          const toMs = Date.parse(`${to}T00:00:00Z`);
          if (Number.isNaN(fromMs) || Number.isNaN(toMs))
            throw new Error(`invalid history window ${from}..${to}`);
          windows.set(key, (w = { fromMs, toMs, skus: new Set() }));
        }
        w.skus.add(sku);
      }
      const results = new Map<string, Map<string, PastPromotionalPrice[]>>();
      await Promise.all(
        [...windows].map(async ([key, w]) => {
          results.set(
            key,
            w.fromMs > w.toMs ? new Map() : await historyForWindow(w.fromMs, w.toMs, [...w.skus]),
          );
        }),
      );
      return lookups.map((l) => results.get(`${l.from}|${l.to}`)?.get(l.sku) ?? []);
    },
  };
}

function parseRow(row: ODataRow, wanted: Set<string>) {
  const sku = text(row.Material);
  if (!sku || !wanted.has(sku)) return undefined;
  const type = text(row.ConditionType);
  const startMs = parseODataDate(row.ConditionValidityStartDate);
  const endMs = parseODataDate(row.ConditionValidityEndDate);
  if (!type || startMs === undefined || endMs === undefined) return undefined;
  const record = navigationEntity(row.to_SlsPrcgConditionRecord);
  if (!record || record.ConditionIsDeleted === true || record.ConditionIsDeleted === 'X')
    return undefined;
  const rate = toBig(record.ConditionRateValue);
  const currency = text(record.ConditionRateValueUnit);
  const per = toBig(record.ConditionQuantity ?? '1');
  if (!rate || !currency || !per) return undefined;
  return {
    sku,
    type,
    dc: text(row.DistributionChannel) ?? '',
    plant: text(row.Plant) ?? '',
    startMs,
    endMs,
    rate,
    per,
    currency,
    record: text(row.ConditionRecord) ?? '',
  };
}

/** The list price of the promotion's channel valid on `day`: store over chain-wide, then later start, then higher number. */
function regularAt(regulars: readonly Regular[], promo: Promo, day: number): Regular | undefined {
  let best: Regular | undefined;
  for (const r of regulars) {
    if (r.dc !== promo.dc || r.startMs > day || r.endMs < day) continue;
    if (r.plant !== '' && r.plant !== promo.plant) continue;
    if (!best || outranks(r, best)) best = r;
  }
  return best;
}

function outranks(a: Regular, b: Regular): boolean {
  if ((a.plant !== '') !== (b.plant !== '')) return a.plant !== '';
  if (a.startMs !== b.startMs) return a.startMs > b.startMs;
  return a.record > b.record;
}

function isoDate(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}
