import type { LivePromotion } from './live-promotions.ts';

/** Percentage applied to offer kinds a till cannot price per line (FIXED_PRICE, BUY_X_GET_Y, BUNDLE_PRICE). */
export const FALLBACK_PERCENT = '10';
export const DEFAULT_CURRENCY = 'EUR';

/**
 * The discount of one line in cents, exactly (integer arithmetic, half up):
 * PERCENT_OFF → regular price × quantity × percentOff / 100; AMOUNT_OFF → amountOff × quantity,
 * capped at the regular price × quantity (a till never gives more than the price); any other
 * kind → FALLBACK_PERCENT % of regular price × quantity.
 */
export function discountCents(
  offer: LivePromotion['offer'],
  priceCents: number,
  quantity: number,
): number {
  const gross = BigInt(priceCents) * BigInt(quantity);
  if (offer.kind === 'AMOUNT_OFF' && offer.amountOff) {
    const off = roundedCents(offer.amountOff.amount) * BigInt(quantity);
    return Number(off < gross ? off : gross);
  }
  const percent =
    offer.kind === 'PERCENT_OFF' && offer.percentOff ? offer.percentOff : FALLBACK_PERCENT;
  const { units, scale } = decimal(percent);
  return Number(divideHalfUp(gross * units, 100n * 10n ** scale));
}

/** The currency of the offer's money (amountOff, else fixedPrice), else EUR. */
export function discountCurrency(offer: LivePromotion['offer']): string {
  return offer.amountOff?.currency ?? offer.fixedPrice?.currency ?? DEFAULT_CURRENCY;
}

/** Cents as a Decimal string: 1234 → "12.34", -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A non-negative decimal string as cents, half up ("1.005" → 101n). */
function roundedCents(amount: string): bigint {
  const { units, scale } = decimal(amount);
  return scale <= 2n ? units * 10n ** (2n - scale) : divideHalfUp(units, 10n ** (scale - 2n));
}

function decimal(value: string): { units: bigint; scale: bigint } {
  if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value)) return { units: 0n, scale: 0n };
  const [whole, fraction = ''] = value.split('.');
  return { units: BigInt(`${whole}${fraction}`), scale: BigInt(fraction.length) };
}

function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
