import { Big } from 'big.js';

/** big.js rounding mode 1: half-up (away from zero on a tie). */
const ROUND_HALF_UP = 1;

/** Decimal places of a money amount. Every currency the ERP prices in uses 2 (EUR, USD, GBP...). */
export const MONEY_DP = 2;

export type MoneyValue = { amount: string; currency: string };

/** Rounds half-up to 2 dp and prints with exactly 2 decimals, e.g. `8.325` → `"8.33"`. */
export function roundMoney(value: Big): string {
  return value.toFixed(MONEY_DP, ROUND_HALF_UP);
}

/** Rounds half-up to 2 dp for percentages, e.g. `11.1111` → `"11.11"`. */
export function roundPercent(value: Big): string {
  return value.toFixed(2, ROUND_HALF_UP);
}

export function money(amount: Big, currency: string): MoneyValue {
  return { amount: roundMoney(amount), currency };
}

/** Parses a decimal string into Big; `undefined` for anything that is not a finite decimal. */
export function toBig(value: unknown): Big | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  try {
    return new Big(value);
  } catch {
    return undefined;
  }
}
