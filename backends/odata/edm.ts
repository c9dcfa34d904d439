/**
 * Property types of emulated entities and their in-memory representation:
 * String → string, Decimal → string ("19.990"), DateTime/DateTimeOffset → epoch ms (number),
 * Date (v4) → "YYYY-MM-DD", Boolean → boolean, Int32 → number.
 */
export type EdmType =
  'String' | 'Decimal' | 'DateTime' | 'DateTimeOffset' | 'Date' | 'Boolean' | 'Int32';

export type Row = Record<string, unknown>;

/** Equality sets a filter implies per property (`Material eq 'A' or Material eq 'B'` → {A, B}). */
export type Constraints = ReadonlyMap<string, ReadonlySet<string>>;

export const NO_CONSTRAINTS: Constraints = new Map();

/** The end of open validity, 9999-12-31T00:00:00Z. */
export const OPEN_END_MS = Date.UTC(9999, 11, 31);
