import type { Row } from '../odata/edm.ts';
import { centsToDecimal, pad } from './format.ts';

/**
 * Posted promotion accruals and settlement claims against condition contracts. These are the
 * customer extensions `YY1_PromoAccrual` / `YY1_SettlementClaim` (key-user extensibility style,
 * not SAP standard entities): the emulator's stand-in for the accrual and settlement documents
 * SAP Settlement Management creates. Amounts are kept as integer cents; rows carry the decimal
 * strings the wire shows.
 */
export type AccrualInput = {
  ConditionContract: string;
  AccrualReference: string;
  PromotionReference: string;
  PostingDate: string;
  amountCents: number;
  Currency: string;
  ItemCount: number;
};

export type ClaimInput = {
  ConditionContract: string;
  ClaimReference: string;
  PromotionReference: string;
  SettlmtDateCat: 'F' | 'D';
  SettlmtDate: string;
  amountCents: number;
  Currency: string;
  accrualDocuments: readonly string[];
};

/** Per-contract sums DetermineAccrualAmounts adds to the seeded accruals. */
export type AccrualTotals = {
  postedCents(contract: string): number;
  settledCents(contract: string): number;
};

export class SettlementStore implements AccrualTotals {
  private accruals: Row[] = [];
  private claims: Row[] = [];
  private readonly accrualCents = new Map<string, number>();
  private readonly posted = new Map<string, number>();
  private readonly settled = new Map<string, number>();

  /** Accrual rows in document order (the live array: rows change when they get settled). */
  accrualRows(): readonly Row[] {
    return this.accruals;
  }

  claimRows(): readonly Row[] {
    return this.claims;
  }

  accrual(document: string): Row | undefined {
    const row = this.accruals[Number(document) - 1];
    return row?.AccrualDocument === document ? row : undefined;
  }

  claim(document: string): Row | undefined {
    const row = this.claims[Number(document) - 1];
    return row?.SettlementDocument === document ? row : undefined;
  }

  accrualByReference(reference: string): Row | undefined {
    return this.accruals.find((row) => row.AccrualReference === reference);
  }

  claimByReference(reference: string): Row | undefined {
    return this.claims.find((row) => row.ClaimReference === reference);
  }

  /** Exact amount of a posted accrual document in cents. */
  accrualAmountCents(document: string): number {
    return this.accrualCents.get(document) ?? 0;
  }

  accrualsOfClaim(claim: Row): Row[] {
    return this.accruals.filter((row) => row.SettlementDocument === claim.SettlementDocument);
  }

  postAccrual(input: AccrualInput, now: number): Row {
    const { amountCents, ...fields } = input;
    const document = pad(this.accruals.length + 1, 10);
    const row: Row = {
      AccrualDocument: document,
      ...fields,
      AccrualAmount: centsToDecimal(amountCents),
      SettlementDocument: '',
      CreationUTCDateTime: now,
    };
    this.accruals.push(row);
    this.accrualCents.set(document, amountCents);
    add(this.posted, input.ConditionContract, amountCents);
    return row;
  }

  /** Stores the claim and marks its accruals settled (the caller has validated them). */
  postClaim(input: ClaimInput, now: number): Row {
    const { amountCents, accrualDocuments, ...fields } = input;
    const document = pad(this.claims.length + 1, 10);
    const row: Row = {
      SettlementDocument: document,
      ...fields,
      ClaimAmount: centsToDecimal(amountCents),
      CreationUTCDateTime: now,
    };
    this.claims.push(row);
    for (const accrual of accrualDocuments) {
      const index = Number(accrual) - 1;
      this.accruals[index] = { ...this.accruals[index]!, SettlementDocument: document };
    }
    add(this.settled, input.ConditionContract, amountCents);
    return row;
  }

  postedCents(contract: string): number {
    return this.posted.get(contract) ?? 0;
  }

  settledCents(contract: string): number {
    return this.settled.get(contract) ?? 0;
  }

  reset(): void {
    this.accruals = [];
    this.claims = [];
    this.accrualCents.clear();
    this.posted.clear();
    this.settled.clear();
  }
}

function add(map: Map<string, number>, key: string, cents: number): void {
  map.set(key, (map.get(key) ?? 0) + cents);
}
