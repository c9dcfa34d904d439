import { Big } from 'big.js';

/** big.js rounding mode 1: half-up (away from zero on a tie). */
const ROUND_HALF_UP = 1;

/** Rounds half-up to 2 dp and prints exactly 2 decimals, e.g. `8.325` → `"8.33"`. */
export function roundMoney(value: Big): string {
  return value.toFixed(2, ROUND_HALF_UP);
}

/** Exact amount with at least 2 decimals (`"0.125"` stays, `"5"` → `"5.00"`); for per-unit rates. */
export function exactAmount(value: Big): string {
  const plain = value.toFixed();
  const dot = plain.indexOf('.');
  return dot < 0 || plain.length - dot - 1 < 2 ? value.toFixed(2) : plain;
}

/** Parses a decimal string or number into Big; `undefined` for anything else. */
export function toBig(value: unknown): Big | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  try {
    return new Big(value);
  } catch {
    return undefined;
  }
}

export { Big };
