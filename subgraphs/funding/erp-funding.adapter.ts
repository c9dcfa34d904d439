import { GraphQLError } from 'graphql';
import { BackendError, type BackendClient } from '../shared/backend-client.ts';
import { backendUnavailable } from '../shared/errors.ts';
import {
  ODataError,
  chunk,
  literal,
  orChain,
  parseODataDate,
  queryCollection,
  type ODataRow,
} from '../shared/odata-v2.ts';
import { ODataV4Error, queryCollectionV4 } from '../shared/odata-v4.ts';
import { Big, exactAmount, toBig } from './money.ts';
import {
  FundingType,
  SettlementKind,
  SettlementMethod,
  type Activation,
  type AgreementPageRequest,
  type AgreementRecord,
  type EligibilityRecord,
  type FundingAdapter,
  type ListPrice,
  type VendorRecord,
} from './funding-agreement.model.ts';

/**
 * The only file of the funding subgraph that knows the ERP's wire format: S/4HANA-style condition
 * contracts (OData v4, `API_CONDITION_CONTRACT`), suppliers (OData v2, `API_BUSINESS_PARTNER`),
 * the product group of a SKU (OData v2, `API_PRODUCT_SRV`) and the list price (OData v2,
 * `API_SLSPRICINGCONDITIONRECORD_SRV`). Everything it returns is canonical.
 *
 * Mapping decisions (documented here because they are the adapter's):
 * - Agreement = `ConditionContract` with `$expand` of its business-volume criteria, condition
 *   records and settlement calendar; id and `S4` external reference = the contract number.
 * - `YY1_FundingType` OI/BB/SB/LS/MD → OFF_INVOICE/BILL_BACK/SCAN_BACK/LUMP_SUM/MDF.
 * - `CndnContrActvtnStatus` A released, B not released, C locked for settlement (any other code
 *   is UNKNOWN); the canonical status is derived from it in funding-status.ts.
 * - `sharePercent` = the first condition record with `ConditionRateRatioUnit` `%` and a ratio > 0;
 *   `amountPerUnit` = the first record with a `ConditionQuantityUnit` and `ConditionRateAmount` > 0
 *   (a rate per unit, scan-back); a rate amount without a quantity unit is a fixed (lump-sum)
 *   amount and is not a per-unit rate.
 * - `cap` = `YY1_CapAmount` (empty → uncapped), `committed` = `YY1_CommittedAmount` (empty → 0),
 *   `accrued` = Σ `AccrualsTotalAmount` of `DetermineAccrualAmounts` for the contract: all money
 *   accrued so far, settled or not (settlement reverses accruals, it does not give budget back).
 * - Criteria rows: `Product` → SKUs, `ProductGroup` → product groups, `Plant` → locations; sign `I`
 *   includes, `E` excludes.
 * - `CndnContrSuplrSettlmtCat` → settlement method through `settlementCategories` (default `1`
 *   credit memo, `2` invoice, `3` deduction; unknown → credit memo, supplier settlement's default).
 *   `SettlmtDateCat` `F` → FINAL, anything else PARTIAL; calendar sorted by date.
 * - Batch reads are OR-chains of keys (`(ConditionContract eq 'a' or ...)`), at most `keysPerCall`
 *   per request; the emulator's v4 parser accepts `in` too, OR-chains work on every server.
 * - List price (basis of the expected vendor cost of percent-off and fixed-price offers): the
 *   chain-wide (`Plant eq ''`) `PPR0` record of sales organisation `1010` / distribution channel
 *   `10`, read from `A_SlsPrcgCndnRecdValidity` with `$expand=to_SlsPrcgConditionRecord` and an
 *   OR-chain on `Material`; the validity covering the day wins (later start, then higher record
 *   number, on overlap); `ConditionRateValue / ConditionQuantity`, unrounded; deleted records and
 *   `%` rates are ignored.
 * - Errors: BackendError (5xx after retries, timeout, open circuit), an OData error answer or a
 *   malformed row → BACKEND_UNAVAILABLE naming `erp` and the operation, never the ERP payload.
 */

const CONTRACT_ROOT =
  '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';
const CONTRACTS = 'ConditionContract';
const SUPPLIERS = '/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_Supplier';
const PRODUCTS = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product';
const PRICE_VALIDITY =
  '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity';
const CONTRACT_EXPAND = [
  '_CndnContrBusVolSelCriteria',
  '_CndnContrCndnRecord',
  '_CndnContrSettlmtCal',
];

const FUNDING_TYPES: Readonly<Record<string, FundingType>> = {
  OI: FundingType.OFF_INVOICE,
  BB: FundingType.BILL_BACK,
  SB: FundingType.SCAN_BACK,
  LS: FundingType.LUMP_SUM,
  MD: FundingType.MDF,
};
const ACTIVATION: Readonly<Record<string, Activation>> = {
  A: 'RELEASED',
  B: 'NOT_RELEASED',
  C: 'LOCKED',
};

export const DEFAULT_SETTLEMENT_CATEGORIES: Readonly<Record<string, SettlementMethod>> = {
  '1': SettlementMethod.CREDIT_MEMO,
  '2': SettlementMethod.INVOICE,
  '3': SettlementMethod.DEDUCTION,
};

export type ErpFundingAdapterOptions = {
  /** Keys per OR-chain request, so URLs stay short. Default 40. */
  keysPerCall?: number;
  /** Resource path of the accruals function below the contract service root. */
  accrualsFunction?: string;
  /** `CndnContrSuplrSettlmtCat` → settlement method. Default {@link DEFAULT_SETTLEMENT_CATEGORIES}. */
  settlementCategories?: Readonly<Record<string, SettlementMethod>>;
  /** List price basis. Defaults `PPR0`, `1010`, `10`. */
  listPriceConditionType?: string;
  salesOrganization?: string;
  distributionChannel?: string;
  /** Where rejected ERP requests are logged (code and message, server-side only). Default console.error. */
  log?: (message: string) => void;
};

export const DEFAULT_ACCRUALS_FUNCTION =
  'ConditionContract/com.sap.gateway.srvd_a2x.api_condition_contract.v0001.DetermineAccrualAmounts()';

export function createErpFundingAdapter(
  erp: BackendClient,
  options: ErpFundingAdapterOptions = {},
): FundingAdapter {
  const perCall = options.keysPerCall ?? 40;
  const accrualsFunction = options.accrualsFunction ?? DEFAULT_ACCRUALS_FUNCTION;
  const categories = options.settlementCategories ?? DEFAULT_SETTLEMENT_CATEGORIES;
  const conditionType = options.listPriceConditionType ?? 'PPR0';
  const salesOrg = options.salesOrganization ?? '1010';
  const channel = options.distributionChannel ?? '10';
  const log = options.log ?? ((message: string) => console.error(message));

  async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw erpFailure(operation, error, log);
    }
  }

  /** Σ AccrualsTotalAmount per contract for the given ids. */
  async function accruals(ids: readonly string[]): Promise<Map<string, Big>> {
    const totals = new Map<string, Big>();
    const pages = await Promise.all(
      chunk(ids, perCall).map((part) =>
        queryCollectionV4(erp, CONTRACT_ROOT, accrualsFunction, {
          filter: orChain('ConditionContract', part),
        }),
      ),
    );
    for (const row of pages.flatMap((p) => p.rows)) {
      const id = str(row.ConditionContract);
      const amount = toBig(row.AccrualsTotalAmount);
      if (!amount) throw new MalformedRow('AccrualsTotalAmount');
      totals.set(id, (totals.get(id) ?? new Big(0)).plus(amount));
    }
    return totals;
  }

  async function withAccruals(rows: readonly ODataRow[]): Promise<AgreementRecord[]> {
    if (rows.length === 0) return [];
    const totals = await accruals(rows.map((r) => str(r.ConditionContract)));
    return rows.map((row) => toAgreement(row, totals, categories));
  }

  return {
    vendorsByIds(ids) {
      return guarded('supplier read', async () => {
        const byId = new Map<string, VendorRecord>();
        const pages = await Promise.all(
          chunk([...new Set(ids)], perCall).map((part) =>
            queryCollection(erp, SUPPLIERS, {
              filter: orChain('Supplier', part),
              select: ['Supplier', 'SupplierName'],
            }),
          ),
        );
        for (const row of pages.flat()) {
          const id = str(row.Supplier);
          byId.set(id, { id, name: str(row.SupplierName) || id });
        }
        return ids.map((id) => byId.get(id) ?? null);
      });
    },

    agreementsByIds(ids) {
      return guarded('condition contract read', async () => {
        const unique = [...new Set(ids)];
        const [pages, totals] = await Promise.all([
          Promise.all(
            chunk(unique, perCall).map((part) =>
              queryCollectionV4(erp, CONTRACT_ROOT, CONTRACTS, {
                filter: orChain('ConditionContract', part),
                expand: CONTRACT_EXPAND,
              }),
            ),
          ),
          accruals(unique),
        ]);
        const byId = new Map<string, AgreementRecord>();
        for (const row of pages.flatMap((p) => p.rows)) {
          const record = toAgreement(row, totals, categories);
          byId.set(record.id, record);
        }
        return ids.map((id) => byId.get(id) ?? null);
      });
    },

    agreementsPage(request: AgreementPageRequest) {
      return guarded('condition contract read', async () => {
        const filter = [`Supplier eq ${literal(request.vendorId)}`];
        if (request.activeOn) {
          filter.push(
            `CndnContrActvtnStatus eq 'A'`,
            `CndnContrValidFrom le ${request.activeOn}`,
            `CndnContrValidTo ge ${request.activeOn}`,
          );
        }
        if (request.afterId !== undefined)
          filter.push(`ConditionContract gt ${literal(request.afterId)}`);
        const { rows } = await queryCollectionV4(erp, CONTRACT_ROOT, CONTRACTS, {
          filter: filter.join(' and '),
          expand: CONTRACT_EXPAND,
          orderby: 'ConditionContract',
          top: request.limit + 1,
        });
        const page = rows.slice(0, request.limit);
        return { records: await withAccruals(page), hasMore: rows.length > request.limit };
      });
    },

    listPrices(lookups) {
      return guarded('list price read', async () => {
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

    productGroups(skus) {
      return guarded('product read', async () => {
        const bySku = new Map<string, string>();
        const pages = await Promise.all(
          chunk([...new Set(skus)], perCall).map((part) =>
            queryCollection(erp, PRODUCTS, {
              filter: orChain('Product', part),
              select: ['Product', 'ProductGroup'],
            }),
          ),
        );
        for (const row of pages.flat()) bySku.set(str(row.Product), str(row.ProductGroup));
        return skus.map((sku) => bySku.get(sku) || null);
      });
    },
  };
}

class MalformedRow extends Error {
  constructor(field: string) {
    super(`malformed ${field} in response`);
  }
}

function str(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === null || value === undefined
      ? ''
      : String(value);
}

function date(value: unknown, field: string): string {
  const text = str(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new MalformedRow(field);
  return text;
}

function nav(row: ODataRow, name: string): ODataRow[] {
  const value = row[name];
  return Array.isArray(value) ? (value as ODataRow[]) : [];
}

function decimal(value: unknown, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const big = toBig(value);
  if (!big) throw new MalformedRow(field);
  return exactAmount(big);
}

function toAgreement(
  row: ODataRow,
  accrued: ReadonlyMap<string, Big>,
  categories: Readonly<Record<string, SettlementMethod>>,
): AgreementRecord {
  const id = str(row.ConditionContract);
  const type = FUNDING_TYPES[str(row.YY1_FundingType)];
  if (!id || !type) throw new MalformedRow(id ? 'YY1_FundingType' : 'ConditionContract');
  const records = nav(row, '_CndnContrCndnRecord');
  const share = records.find(
    (r) => str(r.ConditionRateRatioUnit) === '%' && toBig(r.ConditionRateRatio)?.gt(0),
  );
  const perUnit = records.find(
    (r) => str(r.ConditionQuantityUnit) !== '' && toBig(r.ConditionRateAmount)?.gt(0),
  );
  return {
    id,
    vendorId: str(row.Supplier),
    type,
    activation: ACTIVATION[str(row.CndnContrActvtnStatus)] ?? 'UNKNOWN',
    validFrom: date(row.CndnContrValidFrom, 'CndnContrValidFrom'),
    validTo: date(row.CndnContrValidTo, 'CndnContrValidTo'),
    currency: str(row.CndnContrCurrency),
    sharePercent: share ? decimal(share.ConditionRateRatio, 'ConditionRateRatio') : null,
    amountPerUnit: perUnit ? decimal(perUnit.ConditionRateAmount, 'ConditionRateAmount') : null,
    cap: decimal(row.YY1_CapAmount, 'YY1_CapAmount'),
    committed: decimal(row.YY1_CommittedAmount, 'YY1_CommittedAmount') ?? '0.00',
    accrued: exactAmount(accrued.get(id) ?? new Big(0)),
    eligibility: eligibility(nav(row, '_CndnContrBusVolSelCriteria')),
    settlementMethod: categories[str(row.CndnContrSuplrSettlmtCat)] ?? SettlementMethod.CREDIT_MEMO,
    settlementCalendar: nav(row, '_CndnContrSettlmtCal')
      .map((r) => ({
        date: date(r.SettlmtDate, 'SettlmtDate'),
        kind: str(r.SettlmtDateCat) === 'F' ? SettlementKind.FINAL : SettlementKind.PARTIAL,
      }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind.localeCompare(b.kind))),
    externalId: id,
  };
}

function eligibility(rows: readonly ODataRow[]): EligibilityRecord {
  const out: EligibilityRecord = {
    skus: [],
    excludedSkus: [],
    productGroupIds: [],
    excludedProductGroupIds: [],
    locationIds: [],
    excludedLocationIds: [],
  };
  const add = (list: string[], value: string): void => {
    if (value && !list.includes(value)) list.push(value);
  };
  for (const row of rows) {
    const exclude = str(row.CndnContrBusVolSign) === 'E';
    add(exclude ? out.excludedSkus : out.skus, str(row.Product));
    add(exclude ? out.excludedProductGroupIds : out.productGroupIds, str(row.ProductGroup));
    add(exclude ? out.excludedLocationIds : out.locationIds, str(row.Plant));
  }
  return out;
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

/** Maps a failed ERP call to BACKEND_UNAVAILABLE without the ERP's payload. */
export function erpFailure(
  operation: string,
  error: unknown,
  log: (message: string) => void,
): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof BackendError) {
    const reason = error.message.startsWith(`${error.backend}: `)
      ? error.message.slice(error.backend.length + 2)
      : error.message;
    return backendUnavailable(
      'erp',
      `${operation} failed (${reason.startsWith('unexpected OData') ? 'unexpected response' : reason})`,
    );
  }
  if (error instanceof ODataV4Error || error instanceof ODataError) {
    log(
      `[funding] ERP rejected a ${operation}: HTTP ${error.status} ${error.code} ${error.message}`,
    );
    return backendUnavailable('erp', `${operation} failed (HTTP ${error.status})`);
  }
  if (error instanceof MalformedRow) {
    log(`[funding] ${operation}: ${error.message}`);
    return backendUnavailable('erp', `${operation} failed (unexpected response)`);
  }
  return error;
}
