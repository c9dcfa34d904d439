/** Small deterministic formatting helpers shared by the seed and the derived rows. */

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Integer cents → decimal string with 2 or 3 decimals ("19.99" / "19.990"). */
export function centsToDecimal(cents: number, decimals: 2 | 3 = 2): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const text = `${Math.floor(abs / 100)}.${pad(abs % 100, 2)}`;
  return sign + (decimals === 3 ? `${text}0` : text);
}

/** A quantity as SAP's decimal string with `scale` decimals ("12.000"). */
export function quantity(value: number, scale = 3): string {
  return `${value}.${'0'.repeat(scale)}`;
}

export function utcDay(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

export const DAY_MS = 86_400_000;
