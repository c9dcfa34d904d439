import type { Row } from '../odata/edm.ts';

/** Storage location and stock type goods receipts post to (unrestricted use on the sales floor). */
export const RECEIPT_STORAGE_LOCATION = '0001';
export const RECEIPT_STOCK_TYPE = '01';

/**
 * Goods received since the last reset, per material and plant, in thousandths of the base unit
 * (quantities have at most 3 decimals, so sums stay exact). `A_MatlStkInAcctMod` adds them to the
 * seeded unrestricted-use row of storage location 0001 (no special stock).
 */
export class StockReceipts {
  private readonly milli = new Map<string, number>();

  /** Adds `quantity` (a decimal string, > 0, ≤ 3 decimals); returns the new received total. */
  add(material: string, plant: string, quantity: string): string {
    const key = `${material}|${plant}`;
    const total = (this.milli.get(key) ?? 0) + toMilli(quantity);
    this.milli.set(key, total);
    return fromMilli(total, 3);
  }

  /** Received total in thousandths (0 when nothing arrived). */
  receivedMilli(material: string, plant: string): number {
    return this.milli.get(`${material}|${plant}`) ?? 0;
  }

  /** The stock rows of one material x plant with the received quantity added (new objects). */
  apply(rows: Row[]): Row[] {
    if (this.milli.size === 0 || rows.length === 0) return rows;
    const first = rows[0]!;
    const extra = this.receivedMilli(String(first.Material), String(first.Plant));
    if (extra === 0) return rows;
    return rows.map((row) => {
      if (
        row.StorageLocation !== RECEIPT_STORAGE_LOCATION ||
        row.InventoryStockType !== RECEIPT_STOCK_TYPE ||
        row.InventorySpecialStockType !== '' ||
        row.Supplier !== ''
      ) {
        return row;
      }
      const [whole = '0', fraction = ''] = String(row.MatlWrhsStkQtyInMatlBaseUnit).split('.');
      const total = toMilli(`${whole}.${fraction.slice(0, 3) || '0'}`) + extra;
      return {
        ...row,
        MatlWrhsStkQtyInMatlBaseUnit: fromMilli(total, Math.max(fraction.length, 3)),
      };
    });
  }

  reset(): void {
    this.milli.clear();
  }
}

/** `"12.5"` → 12500; at most 3 decimals (callers validate). */
export function toMilli(quantity: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(quantity);
  if (!m) throw new Error(`not a quantity with at most 3 decimals: '${quantity}'`);
  const value = Number(m[2]) * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
  return m[1] ? -value : value;
}

/** 12500 → `"12.500"` (scale 3) or `"12.50000000000000"` (scale 14). */
export function fromMilli(milli: number, scale: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  const frac = String(abs % 1000).padStart(3, '0');
  return `${sign}${Math.floor(abs / 1000)}.${frac.padEnd(scale, '0')}`;
}

/** A positive decimal with at most 3 decimals, normalised to 3 (`"12"` → `"12.000"`), or undefined. */
export function positiveQuantity(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+(\.\d{1,3})?$/.test(text)) return undefined;
  const milli = toMilli(text);
  return milli > 0 ? fromMilli(milli, 3) : undefined;
}
