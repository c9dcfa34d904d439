import type { EntitySet } from './entity-set.ts';
import type { SettlementStore } from './settlement-store.ts';

const SERVICE = 'com.sap.gateway.srvd_a2x.api_condition_contract.v0001';
/** Customer extension entity sets (YY1_, key-user extensibility), not SAP standard. */
export const ACCRUAL_SET = 'YY1_PromoAccrual';
export const CLAIM_SET = 'YY1_SettlementClaim';

/** Posted promotion accruals and settlement claims, read live from the store. */
export function settlementSets(store: SettlementStore): EntitySet[] {
  const accruals: EntitySet = {
    service: SERVICE,
    name: ACCRUAL_SET,
    typeName: 'YY1_PromoAccrualType',
    keys: ['AccrualDocument'],
    properties: {
      AccrualDocument: 'String',
      ConditionContract: 'String',
      AccrualReference: 'String',
      PromotionReference: 'String',
      PostingDate: 'Date',
      AccrualAmount: 'Decimal',
      Currency: 'String',
      ItemCount: 'Int32',
      SettlementDocument: 'String',
      CreationUTCDateTime: 'DateTimeOffset',
    },
    navigations: {},
    scan: () => store.accrualRows(),
    get: (key) => store.accrual(String(key.AccrualDocument)),
  };
  const claims: EntitySet = {
    service: SERVICE,
    name: CLAIM_SET,
    typeName: 'YY1_SettlementClaimType',
    keys: ['SettlementDocument'],
    properties: {
      SettlementDocument: 'String',
      ConditionContract: 'String',
      ClaimReference: 'String',
      PromotionReference: 'String',
      SettlmtDateCat: 'String',
      SettlmtDate: 'Date',
      ClaimAmount: 'Decimal',
      Currency: 'String',
      CreationUTCDateTime: 'DateTimeOffset',
    },
    navigations: {
      _Accruals: { target: ACCRUAL_SET, many: true, resolve: (row) => store.accrualsOfClaim(row) },
    },
    scan: () => store.claimRows(),
    get: (key) => store.claim(String(key.SettlementDocument)),
  };
  return [accruals, claims];
}
