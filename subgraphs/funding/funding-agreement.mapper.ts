import { Big, exactAmount, roundMoney, toBig } from './money.ts';
import type { AgreementRecord } from './funding-agreement.model.ts';
import { deriveStatus, remainingOf } from './funding-status.ts';
import type { FundingAgreement } from './funding-agreement.type.ts';

/** Canonical record → GraphQL object on `today` (status and remaining are derived). */
export function toFundingAgreement(record: AgreementRecord, today: string): FundingAgreement {
  const currency = record.currency;
  const money = (value: string | null): { amount: string; currency: string } => ({
    amount: roundMoney(toBig(value) ?? new Big(0)),
    currency,
  });
  const perUnit = toBig(record.amountPerUnit);
  return {
    id: record.id,
    vendorId: record.vendorId,
    type: record.type,
    status: deriveStatus(record, today),
    validFrom: record.validFrom,
    validTo: record.validTo,
    currency,
    sharePercent: record.sharePercent,
    amountPerUnit: perUnit ? { amount: exactAmount(perUnit), currency } : null,
    cap: record.cap === null ? null : money(record.cap),
    committed: money(record.committed),
    accrued: money(record.accrued),
    remaining: { amount: roundMoney(remainingOf(record) ?? new Big(0)), currency },
    eligibility: {
      skus: record.eligibility.skus,
      productGroupIds: record.eligibility.productGroupIds,
      locationIds: record.eligibility.locationIds,
      excludedSkus: record.eligibility.excludedSkus,
    },
    settlement: { method: record.settlementMethod, calendar: record.settlementCalendar },
    externalRefs: [{ system: 'S4', id: record.externalId }],
  };
}
