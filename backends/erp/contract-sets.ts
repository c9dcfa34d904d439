import type { Row } from '../odata/edm.ts';
import type { EntitySet } from './entity-set.ts';
import { centsToDecimal } from './format.ts';
import type { ErpSeed } from './seed.ts';
import type { ContractSeed } from './seed-contracts.ts';
import type { AccrualTotals } from './settlement-store.ts';

const SERVICE = 'com.sap.gateway.srvd_a2x.api_condition_contract.v0001';
/** Pseudo entity set holding the result rows of the DetermineAccrualAmounts function. */
export const ACCRUALS_SET = 'DetermineAccrualAmounts';

const childSet = (
  name: string,
  typeName: string,
  keys: string[],
  properties: EntitySet['properties'],
  rows: Row[] | (() => Row[]),
): EntitySet => {
  const current = typeof rows === 'function' ? rows : () => rows;
  return {
    service: SERVICE,
    name,
    typeName,
    keys,
    properties,
    navigations: {},
    scan: () => current(),
    get: (key) => current().find((row) => keys.every((k) => row[k] === key[k])),
  };
};

const NO_POSTINGS: AccrualTotals = { postedCents: () => 0, settledCents: () => 0 };

/**
 * OData v4 condition contracts (vendor funding) with their three navigations and accruals. The
 * accrual rows are computed per request: seeded total + posted `YY1_PromoAccrual` amounts, seeded
 * reversed + settled (claimed) amounts, open = total - reversed, all in integer cents.
 */
export function contractSets(seed: ErpSeed, totals: AccrualTotals = NO_POSTINGS): EntitySet[] {
  const byId = new Map<string, ContractSeed>(
    seed.contracts.map((c) => [c.header.ConditionContract as string, c]),
  );
  const of = (row: Row): ContractSeed => byId.get(row.ConditionContract as string)!;
  const contracts: EntitySet = {
    service: SERVICE,
    name: 'ConditionContract',
    typeName: 'ConditionContractType',
    keys: ['ConditionContract'],
    properties: {
      ConditionContract: 'String',
      CndnContrType: 'String',
      Supplier: 'String',
      Customer: 'String',
      CndnContrActvtnStatus: 'String',
      CndnContrValidFrom: 'Date',
      CndnContrValidTo: 'Date',
      CompanyCode: 'String',
      PurchasingOrganization: 'String',
      SalesOrganization: 'String',
      DistributionChannel: 'String',
      CndnContrCurrency: 'String',
      CndnContrSuplrSettlmtCat: 'String',
      DocumentReferenceID: 'String',
      YY1_FundingType: 'String',
      YY1_CapAmount: 'Decimal',
      YY1_CommittedAmount: 'Decimal',
      CreationUTCDateTime: 'DateTimeOffset',
      LastChangeUTCDateTime: 'DateTimeOffset',
      ETAG: 'String',
    },
    navigations: {
      _CndnContrBusVolSelCriteria: {
        target: 'CndnContrBusVolSelCriteria',
        many: true,
        resolve: (r) => of(r).criteria,
      },
      _CndnContrCndnRecord: {
        target: 'CndnContrCndnRecord',
        many: true,
        resolve: (r) => of(r).records,
      },
      _CndnContrSettlmtCal: {
        target: 'CndnContrSettlmtCal',
        many: true,
        resolve: (r) => of(r).calendar,
      },
    },
    scan(c) {
      const ids = c.get('ConditionContract');
      const rows = seed.contracts.map((contract) => contract.header);
      return ids ? rows.filter((row) => ids.has(row.ConditionContract as string)) : rows;
    },
    get: (key) => byId.get(String(key.ConditionContract))?.header,
    etag: (row) => `W/"${String(row.ETAG)}"`,
  };
  const accruals = (): Row[] =>
    seed.contracts.map((c) => {
      const id = c.header.ConditionContract as string;
      const total = c.accrualTotalCents + totals.postedCents(id);
      const reversed = c.accrualReversedCents + totals.settledCents(id);
      return {
        ConditionContract: id,
        ConditionRecord: c.records[0]!.ConditionRecord,
        ConditionType: c.records[0]!.ConditionType,
        AccrSrceDocSupplier: c.header.Supplier,
        AccrualsTotalAmount: centsToDecimal(total),
        AccrualsOpenAmount: centsToDecimal(total - reversed),
        AccrualsReversedAmount: centsToDecimal(reversed),
        Currency: c.header.CndnContrCurrency,
      };
    });
  return [
    contracts,
    childSet(
      'CndnContrBusVolSelCriteria',
      'CndnContrBusVolSelCriteriaType',
      ['ConditionContract', 'CndnContrBusVolSelCritSqnc'],
      {
        ConditionContract: 'String',
        CndnContrBusVolSelCritSqnc: 'String',
        Product: 'String',
        ProductGroup: 'String',
        Plant: 'String',
        SalesOrganization: 'String',
        CndnContrBusVolSign: 'String',
      },
      seed.contracts.flatMap((c) => c.criteria),
    ),
    childSet(
      'CndnContrCndnRecord',
      'CndnContrCndnRecordType',
      ['ConditionContract', 'ConditionRecord'],
      {
        ConditionContract: 'String',
        ConditionRecord: 'String',
        ConditionType: 'String',
        ConditionValidityStartDate: 'Date',
        ConditionValidityEndDate: 'Date',
        ConditionCalculationType: 'String',
        ConditionRateRatio: 'Decimal',
        ConditionRateRatioUnit: 'String',
        ConditionRateAmount: 'Decimal',
        ConditionCurrency: 'String',
        ConditionQuantityUnit: 'String',
      },
      seed.contracts.flatMap((c) => c.records),
    ),
    childSet(
      'CndnContrSettlmtCal',
      'CndnContrSettlmtCalType',
      ['ConditionContract', 'SettlmtDate'],
      { ConditionContract: 'String', SettlmtDate: 'Date', SettlmtDateCat: 'String' },
      seed.contracts.flatMap((c) => c.calendar),
    ),
    childSet(
      ACCRUALS_SET,
      'DetermineAccrualAmountsResultType',
      ['ConditionContract', 'ConditionRecord'],
      {
        ConditionContract: 'String',
        ConditionRecord: 'String',
        ConditionType: 'String',
        AccrSrceDocSupplier: 'String',
        AccrualsTotalAmount: 'Decimal',
        AccrualsOpenAmount: 'Decimal',
        AccrualsReversedAmount: 'Decimal',
        Currency: 'String',
      },
      accruals,
    ),
  ];
}
