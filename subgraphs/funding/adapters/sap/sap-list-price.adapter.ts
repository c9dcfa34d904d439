import type { BackendClient } from '../../../shared/backend-client.ts';
import {
  chunk,
  literal,
  orChain,
  parseODataDate,
  queryCollection,
  type ODataRow,
} from '../../../shared/odata-v2.ts';
import type { ListPrice } from '../../funding-agreement.model.ts';
import { Big, toBig } from '../../money.ts';
import type { ListPriceSource } from '../../ports/list-price-source.port.ts';
import { keysPerCall, logOf, type SapFundingOptions } from './sap-funding.options.ts';
import { guarded, str } from './sap-read.ts';

export const PRICE_VALIDITY =
  '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity';

/**
 * The list price port over SAP S/4HANA-style OData v2: the chain-wide (`Plant eq ''`) `PPR0`
 * record of sales organisation `1010` / distribution channel `10` (all configurable), read from
 * `A_SlsPrcgCndnRecdValidity` with `$expand=to_SlsPrcgConditionRecord` and an OR-chain on
 * `Material`; the validity covering the day wins (later start, then higher record number, on
 * overlap); `ConditionRateValue / ConditionQuantity`, unrounded; deleted records and `%` rates
 * are ignored.
 */
export function createSapListPriceSource(
  erp: BackendClient,
  options: SapFundingOptions = {},
): ListPriceSource {
  const perCall = keysPerCall(options);
  const log = logOf(options);
  const conditionType = options.listPriceConditionType ?? 'PPR0';
  const salesOrg = options.salesOrganization ?? '1010';
  const channel = options.distributionChannel ?? '10';
  return {
    listPrices(lookups) {
      return guarded('list price read', log, async () => {
        const skus = [...new Set(lookups.map((l) => l.sku))];
        const bySku = new Map<string, ODataRow[]>();
        const pages = await Promise.all(
          chunk(skus, perCall).map((part) =>
            queryCollection(erp, PRICE_VALIDITY, {
              filter:
                `ConditionType eq ${literal(conditionType)} and SalesOrganization eq ${literal(salesOrg)}` +
                ` and DistributionChannel eq ${literal(channel)} and Plant eq '' and ${orChain('Material', part)}`,
              expand: ['to_SlsPrcgConditionRecord'],
            }),
          ),
        );
        for (const row of pages.flat()) {
          const sku = str(row.Material);
          bySku.set(sku, [...(bySku.get(sku) ?? []), row]);
        }
        return lookups.map(({ sku, date }) => listPriceOn(bySku.get(sku) ?? [], date));
      });
    },
  };
}

/** The list price valid on `day` (YYYY-MM-DD) among a SKU's validity rows, per one unit. */
function listPriceOn(rows: readonly ODataRow[], day: string): ListPrice | null {
  const dayMs = Date.parse(`${day}T00:00:00Z`);
  let best: { start: number; recordNo: string; price: ListPrice } | undefined;
  for (const validity of rows) {
    const start = parseODataDate(validity.ConditionValidityStartDate);
    const end = parseODataDate(validity.ConditionValidityEndDate);
    if (start === undefined || end === undefined || start > dayMs || end < dayMs) continue;
    const record = expanded(validity.to_SlsPrcgConditionRecord);
    if (!record || record.ConditionIsDeleted === true) continue;
    const unit = str(record.ConditionRateValueUnit);
    const rate = toBig(record.ConditionRateValue);
    const per = toBig(record.ConditionQuantity) ?? new Big(1);
    if (!rate || unit === '%' || !unit || per.lte(0)) continue;
    const recordNo = str(record.ConditionRecord || validity.ConditionRecord);
    if (best && (start < best.start || (start === best.start && recordNo <= best.recordNo)))
      continue;
    best = { start, recordNo, price: { amount: rate.div(per).toFixed(), currency: unit } };
  }
  return best?.price ?? null;
}

/** A v2 to-one navigation arrives inline as the entity (some servers wrap it in `results`). */
function expanded(value: unknown): ODataRow | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const results = (value as { results?: unknown }).results;
  if (Array.isArray(results)) return results[0] as ODataRow | undefined;
  return value as ODataRow;
}
