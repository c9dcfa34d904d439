/**
 * Where reconciliation posts what the vendor owes (the ERP's condition contract) and reads it
 * back. Canonical names only; the ERP adapter (adapters/erp-settlement.adapter.ts) maps them.
 * Amounts are decimal strings with two decimals in the agreement's currency.
 */

export type AccrualPosting = {
  /** Our accrual id: the ERP keeps it as the document's reference and answers a repeat once. */
  reference: string;
  agreementId: string;
  promotionId: string;
  /** YYYY-MM-DD */
  postingDate: string;
  amount: string;
  currency: string;
  lineCount: number;
  /** When the posting was first attempted (sent as Repeatability-First-Sent). */
  firstSentAt: string;
};

export type ClaimPosting = {
  reference: string;
  agreementId: string;
  promotionId: string;
  /** FINAL: the first claim at the end; DELTA: a later one for late volume. */
  kind: 'FINAL' | 'DELTA';
  /** YYYY-MM-DD */
  settlementDate: string;
  amount: string;
  currency: string;
  /** The ERP documents of the accruals the claim settles; their sum is `amount`. */
  accrualDocuments: string[];
  firstSentAt: string;
};

/** A document the ERP holds for one of our references. */
export type PostedAccrual = {
  reference: string;
  document: string;
  amount: string;
  currency: string;
  /** The settlement document that settled it, null while open. */
  settledBy: string | null;
};

export type PostedClaim = {
  reference: string;
  document: string;
  kind: 'FINAL' | 'DELTA';
  amount: string;
  currency: string;
};

/** The agreement as the ERP holds it now: cap and everything accrued on it (all promotions). */
export type AgreementPosition = {
  agreementId: string;
  currency: string;
  /** null: no cap. */
  cap: string | null;
  accruedTotal: string;
  accruedOpen: string;
};

export type SettlementPort = {
  /** Posts one accrual; answers the ERP document (the same one again for a repeated reference). */
  postAccrual(posting: AccrualPosting): Promise<{ document: string }>;
  postClaim(posting: ClaimPosting): Promise<{ document: string }>;
  /** Everything the ERP holds for one promotion on one agreement, and the agreement's position. */
  readBack(
    promotionId: string,
    agreementId: string,
  ): Promise<{ accruals: PostedAccrual[]; claims: PostedClaim[]; position: AgreementPosition }>;
};

/**
 * The ERP refused a posting for a business reason (contract not released, amounts do not tie
 * out, currency): retrying the same posting will not help.
 */
export class SettlementRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettlementRefused';
  }
}
