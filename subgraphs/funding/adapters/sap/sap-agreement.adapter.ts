import type { BackendClient } from '../../../shared/backend-client.ts';
import { chunk, literal, orChain, type ODataRow } from '../../../shared/odata-v2.ts';
import { queryCollectionV4 } from '../../../shared/odata-v4.ts';
import {
  FundingType,
  SettlementKind,
  SettlementMethod,
  type Activation,
  type AgreementPageRequest,
  type AgreementRecord,
  type EligibilityRecord,
} from '../../funding-agreement.model.ts';
import { Big, exactAmount, toBig } from '../../money.ts';
import type { AgreementSource } from '../../ports/agreement-source.port.ts';
import {
  DEFAULT_ACCRUALS_FUNCTION,
  DEFAULT_SETTLEMENT_CATEGORIES,
  keysPerCall,
  logOf,
  type SapFundingOptions,
} from './sap-funding.options.ts';
import { MalformedRow, guarded, str } from './sap-read.ts';

export const CONTRACT_ROOT =
  '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';
export const CONTRACTS = 'ConditionContract';
export const CONTRACT_EXPAND = [
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

/**
 * The agreement port over S/4HANA-style condition contracts (OData v4, `API_CONDITION_CONTRACT`).
 * Mapping decisions (the adapter's):
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
 * - Errors: BackendError (5xx after retries, timeout, open circuit), an OData error answer or a
 *   malformed row → BACKEND_UNAVAILABLE naming `erp` and the operation, never the ERP payload.
 */
export function createSapAgreementSource(
  erp: BackendClient,
  options: SapFundingOptions = {},
): AgreementSource {
  const perCall = keysPerCall(options);
  const log = logOf(options);
  const accrualsFunction = options.accrualsFunction ?? DEFAULT_ACCRUALS_FUNCTION;
  const categories = options.settlementCategories ?? DEFAULT_SETTLEMENT_CATEGORIES;

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
    agreementsByIds(ids) {
      return guarded('condition contract read', log, async () => {
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
      return guarded('condition contract read', log, async () => {
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
  };
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
