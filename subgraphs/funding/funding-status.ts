import { Big, roundMoney, toBig } from './money.ts';
import { FundingStatus, type AgreementRecord } from './funding-agreement.model.ts';

/**
 * `remaining = cap − committed − accrued`, floored at 0, 2 dp half-up. An agreement without a cap
 * has no budget limit: `null` here (the GraphQL layer decides how to show it).
 */
export function remainingOf(agreement: AgreementRecord): Big | null {
  const cap = toBig(agreement.cap);
  if (!cap) return null;
  const left = cap.minus(toBig(agreement.committed) ?? 0).minus(toBig(agreement.accrued) ?? 0);
  return new Big(roundMoney(left.lt(0) ? new Big(0) : left));
}

/**
 * Canonical status of an agreement on `today` (YYYY-MM-DD), first match wins:
 *
 * | activation            | condition                         | status     |
 * |-----------------------|-----------------------------------|------------|
 * | NOT_RELEASED (ERP B)  | any                               | DRAFT      |
 * | UNKNOWN (other code)  | any                               | DRAFT      |
 * | RELEASED / LOCKED     | today > validTo                   | EXPIRED    |
 * | LOCKED (ERP C)        | otherwise                         | SUSPENDED  |
 * | RELEASED (ERP A)      | a cap and remaining ≤ 0           | EXHAUSTED  |
 * | RELEASED (ERP A)      | otherwise (also before validFrom) | ACTIVE     |
 *
 * TERMINATED is never derived from the condition contract: S/4 has no termination status (a
 * contract ended early gets a shorter validity and shows as EXPIRED); the value exists for
 * back-ends that carry one. "Locked for settlement" is read as a temporary block: SUSPENDED.
 */
export function deriveStatus(agreement: AgreementRecord, today: string): FundingStatus {
  if (agreement.activation === 'NOT_RELEASED' || agreement.activation === 'UNKNOWN') {
    return FundingStatus.DRAFT;
  }
  if (today > agreement.validTo) return FundingStatus.EXPIRED;
  if (agreement.activation === 'LOCKED') return FundingStatus.SUSPENDED;
  const remaining = remainingOf(agreement);
  if (remaining !== null && remaining.lte(0)) return FundingStatus.EXHAUSTED;
  return FundingStatus.ACTIVE;
}
