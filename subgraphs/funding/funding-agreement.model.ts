/**
 * The funding subgraph's canonical records: what its ports (ports/) return and the pure functions
 * (status, remaining, funding check) work on. No GraphQL and no ERP names here. Each record type
 * cached by a port has a version: bump it with any change to the type or its meaning, and cached
 * entries of the old shape are never read.
 */

export enum FundingType {
  OFF_INVOICE = 'OFF_INVOICE',
  BILL_BACK = 'BILL_BACK',
  SCAN_BACK = 'SCAN_BACK',
  LUMP_SUM = 'LUMP_SUM',
  MDF = 'MDF',
}

export enum FundingStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
  EXHAUSTED = 'EXHAUSTED',
  TERMINATED = 'TERMINATED',
}

export enum SettlementMethod {
  CREDIT_MEMO = 'CREDIT_MEMO',
  DEDUCTION = 'DEDUCTION',
  INVOICE = 'INVOICE',
}

export enum SettlementKind {
  PARTIAL = 'PARTIAL',
  FINAL = 'FINAL',
}

/** Release state of the agreement in the ERP (the adapter maps its codes onto these). */
export type Activation = 'RELEASED' | 'NOT_RELEASED' | 'LOCKED' | 'UNKNOWN';

export type MoneyValue = { amount: string; currency: string };

export type VendorRecord = { id: string; name: string };
export const VENDOR_RECORD_VERSION = 1;

export type EligibilityRecord = {
  skus: string[];
  excludedSkus: string[];
  productGroupIds: string[];
  excludedProductGroupIds: string[];
  locationIds: string[];
  excludedLocationIds: string[];
};

export type AgreementRecord = {
  id: string;
  vendorId: string;
  type: FundingType;
  activation: Activation;
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  /** YYYY-MM-DD, inclusive. */
  validTo: string;
  currency: string;
  /** Vendor share of the discount in percent (decimal string), if the agreement has one. */
  sharePercent: string | null;
  /** Vendor money per unit sold (decimal string, agreement currency), if the agreement has one. */
  amountPerUnit: string | null;
  /** Decimal strings in the agreement currency; `cap` null when the agreement has none. */
  cap: string | null;
  committed: string;
  accrued: string;
  eligibility: EligibilityRecord;
  settlementMethod: SettlementMethod;
  settlementCalendar: { date: string; kind: SettlementKind }[];
  /** The ERP document number (`S4` external reference). */
  externalId: string;
};
export const AGREEMENT_RECORD_VERSION = 1;

/** A list price normalised to one unit (decimal string, unrounded). */
export type ListPrice = { amount: string; currency: string };
export const LIST_PRICE_VERSION = 1;

export type AgreementPageRequest = {
  vendorId: string;
  /** Only agreements released and valid on that day (YYYY-MM-DD). */
  activeOn?: string;
  /** Keyset: only agreements whose id sorts after this one. */
  afterId?: string;
  /** Page size; the adapter reads one more to know whether a next page exists. */
  limit: number;
};
