/**
 * Message codes of the settlement extension's errors. `WB2R_SC` is SAP's condition contract
 * settlement message class, `ZPROMO_FUND` stands for the customer's own class of the YY1_
 * extension; the numbers are chosen by the emulator (unverified): clients branch on the status.
 */
export const MESSAGES = {
  csrf: '/IWBEP/CM_V4_COS/014',
  repeatability: '/IWBEP/CM_V4_RUNTIME/130',
  badPayload: '/IWBEP/CM_V4_RUNTIME/021',
  contractUnknown: 'WB2R_SC/011',
  notReleased: 'WB2R_SC/027',
  currency: 'WB2R_SC/035',
  duplicateReference: 'ZPROMO_FUND/001',
  zeroAmount: 'ZPROMO_FUND/002',
  tieOut: 'ZPROMO_FUND/010',
  accrualUnknown: 'ZPROMO_FUND/011',
  accrualOtherContract: 'ZPROMO_FUND/012',
  accrualOtherPromotion: 'ZPROMO_FUND/013',
  accrualSettled: 'ZPROMO_FUND/014',
  finalExists: 'ZPROMO_FUND/020',
  noFinal: 'ZPROMO_FUND/021',
} as const;
