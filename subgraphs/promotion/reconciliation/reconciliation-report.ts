import Big from 'big.js';
import type { AccrualRow, ClaimRow, FundingSnapshot, LineTotals } from './reconciliation-ledger.ts';
import type { AgreementPosition, PostedAccrual, PostedClaim } from './settlement-port.ts';

export enum FundingCapStatus {
  UNCAPPED = 'UNCAPPED',
  WITHIN_CAP = 'WITHIN_CAP',
  NEAR_CAP = 'NEAR_CAP',
  CAP_EXCEEDED = 'CAP_EXCEEDED',
}

type Money = { amount: string; currency: string };

export type FundingPositionValue = {
  agreementId: string;
  cap: Money | null;
  /** Everything accrued on the agreement in the ERP (all its promotions). */
  accruedOnAgreement: Money;
  consumedPercent: string | null;
  status: FundingCapStatus;
};

export type ReconciliationValue = {
  promotionId: string;
  agreementId: string;
  lines: number;
  /** Σ over recorded lines of the vendor share, rounded per line. */
  vendorFunded: Money;
  /** Recorded lines not yet in an accrual. */
  unaccruedLines: number;
  unaccrued: Money;
  /** Σ of our accruals the ERP has posted. */
  accrued: Money;
  /** Σ of our accruals still waiting for the ERP. */
  pendingAccrual: Money;
  claimed: Money;
  /** What the ERP holds for this promotion's references (null: not read, see `checkedAt`). */
  erpAccrued: Money | null;
  erpClaimed: Money | null;
  tiesOut: boolean;
  /** Each way the figures do not tie out, in words with the amounts. */
  differences: string[];
  /** The final claim is posted and covers every line: nothing is owed either way. */
  settled: boolean;
  accruals: AccrualRow[];
  claims: ClaimRow[];
  funding: FundingPositionValue | null;
  /** When the ERP was last read for this report (null: never reconciled). */
  checkedAt: string | null;
};

export type ErpReading = {
  accruals: PostedAccrual[];
  claims: PostedClaim[];
  position: AgreementPosition;
  at: string;
};

const sum = (values: readonly string[]): Big =>
  values.reduce((total, v) => total.plus(v), new Big(0));

/** The cap position: consumption is what the ERP accrued on the agreement plus our unaccrued lines. */
export function fundingPosition(
  position: Pick<AgreementPosition, 'agreementId' | 'currency' | 'cap' | 'accruedTotal'>,
  unaccrued: string,
  nearCapPercent: number,
): FundingPositionValue {
  const money = (v: Big): Money => ({ amount: v.toFixed(2), currency: position.currency });
  const consumed = new Big(position.accruedTotal).plus(unaccrued);
  if (position.cap === null || new Big(position.cap).lte(0)) {
    return {
      agreementId: position.agreementId,
      cap: null,
      accruedOnAgreement: money(new Big(position.accruedTotal)),
      consumedPercent: null,
      status: FundingCapStatus.UNCAPPED,
    };
  }
  const percent = consumed.times(100).div(position.cap);
  const status = percent.gt(100)
    ? FundingCapStatus.CAP_EXCEEDED
    : percent.gte(nearCapPercent)
      ? FundingCapStatus.NEAR_CAP
      : FundingCapStatus.WITHIN_CAP;
  return {
    agreementId: position.agreementId,
    cap: money(new Big(position.cap)),
    accruedOnAgreement: money(new Big(position.accruedTotal)),
    consumedPercent: percent.toFixed(1),
    status,
  };
}

/**
 * Ties the three ledgers out to the cent: the sales lines' vendor share, our accruals, and the
 * ERP's documents for our references (and the same for claims). `erp` is a fresh reading, or
 * null when only the last snapshot is known (the report then repeats its verdict).
 */
export function reconciliationReport(input: {
  promotionId: string;
  agreementId: string;
  currency: string;
  ended: boolean;
  totals: LineTotals;
  accruals: AccrualRow[];
  claims: ClaimRow[];
  erp: ErpReading | null;
  snapshot: FundingSnapshot | null;
  nearCapPercent: number;
}): ReconciliationValue {
  const { currency, totals, accruals, claims, erp } = input;
  const money = (v: Big | string): Money => ({ amount: new Big(v).toFixed(2), currency });
  const posted = accruals.filter((a) => a.postedAt !== null);
  const accrued = sum(posted.map((a) => a.amount));
  const pending = sum(accruals.filter((a) => a.postedAt === null).map((a) => a.amount));
  const claimed = sum(claims.filter((c) => c.postedAt !== null).map((c) => c.amount));
  const vendorFunded = new Big(totals.vendorFunded);
  const differences: string[] = [];
  const inAccruals = sum(accruals.map((a) => a.amount)).plus(totals.unaccruedVendorFunded);
  if (!inAccruals.eq(vendorFunded)) {
    differences.push(
      `sales lines owe ${vendorFunded.toFixed(2)}, accruals and unaccrued lines hold ${inAccruals.toFixed(2)}`,
    );
  }
  if (accruals.some((a) => a.postedAt === null)) {
    differences.push(`${pending.toFixed(2)} accrued here is not yet posted to the ERP`);
  }
  if (totals.unaccruedLines > 0) {
    differences.push(
      `${totals.unaccruedLines} sales lines (${new Big(totals.unaccruedVendorFunded).toFixed(2)}) are not yet accrued`,
    );
  }
  let erpAccrued: Big | null = null;
  let erpClaimed: Big | null = null;
  if (erp) {
    erpAccrued = sum(erp.accruals.map((a) => a.amount));
    erpClaimed = sum(erp.claims.map((c) => c.amount));
    const byRef = new Map(erp.accruals.map((a) => [a.reference, a]));
    for (const a of posted) {
      if (a.erpDocument === null) continue;
      const doc = byRef.get(a.id);
      if (!doc) differences.push(`accrual ${a.id} (${a.erpDocument}) is missing in the ERP`);
      else if (!new Big(doc.amount).eq(a.amount)) {
        differences.push(`accrual ${a.id}: ${a.amount} here, ${doc.amount} in the ERP`);
      }
    }
    const known = new Set(accruals.map((a) => a.id));
    for (const doc of erp.accruals) {
      if (!known.has(doc.reference)) {
        differences.push(`the ERP holds accrual ${doc.document} (${doc.amount}) unknown here`);
      }
    }
    if (!erpAccrued.eq(accrued))
      differences.push(`accrued ${accrued.toFixed(2)} here, ${erpAccrued.toFixed(2)} in the ERP`);
    if (!erpClaimed.eq(claimed))
      differences.push(`claimed ${claimed.toFixed(2)} here, ${erpClaimed.toFixed(2)} in the ERP`);
  } else if (input.snapshot && !input.snapshot.tiesOut) {
    differences.push('the last reconciliation did not tie out with the ERP');
  }
  const tiesOut = differences.length === 0;
  const snapshot = input.snapshot;
  const position =
    erp?.position ??
    (snapshot
      ? {
          agreementId: snapshot.agreementId,
          currency: snapshot.currency,
          cap: snapshot.cap,
          accruedTotal: snapshot.agreementAccrued,
        }
      : null);
  return {
    promotionId: input.promotionId,
    agreementId: input.agreementId,
    lines: totals.lines,
    vendorFunded: money(vendorFunded),
    unaccruedLines: totals.unaccruedLines,
    unaccrued: money(totals.unaccruedVendorFunded),
    accrued: money(accrued),
    pendingAccrual: money(pending),
    claimed: money(claimed),
    erpAccrued: erpAccrued ? money(erpAccrued) : snapshot ? money(snapshot.erpAccrued) : null,
    erpClaimed: erpClaimed ? money(erpClaimed) : snapshot ? money(snapshot.erpClaimed) : null,
    tiesOut,
    differences,
    settled:
      tiesOut &&
      input.ended &&
      claims.length > 0 &&
      claims.every((c) => c.postedAt !== null) &&
      claimed.eq(accrued),
    accruals,
    claims,
    funding: position
      ? fundingPosition(position, totals.unaccruedVendorFunded, input.nearCapPercent)
      : null,
    checkedAt: erp?.at ?? snapshot?.checkedAt ?? null,
  };
}
