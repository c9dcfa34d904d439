import { Big } from 'big.js';
import { OfferKind } from '../shared/canonical/enums.ts';
import type { MoneyValue } from './money.ts';
import { roundMoney, toBig } from './money.ts';

/**
 * Promotional unit prices, pure and exact (big.js). Rules:
 * - PERCENT_OFF: regular × (1 − percentOff/100), 0 < percentOff ≤ 100.
 * - AMOUNT_OFF: regular − amountOff, never below 0.
 * - FIXED_PRICE: the fixed price.
 * - BUY_X_GET_Y: effective price per unit over one application of the deal,
 *   (buy × regular + get × regular × (1 − getDiscountPercent/100)) / (buy + get);
 *   getDiscountPercent defaults to 100 (the "get" units are free).
 * - BUNDLE_PRICE: one unit of each qualifying SKU for bundlePrice. The bundle price is spread over the
 *   SKUs pro rata to their regular prices (share_i = bundlePrice × regular_i / Σ regular); each share is
 *   rounded half-up to 2 dp and the rounding residual (a few cents at most) goes to the SKU with the
 *   highest regular price (the first one on a tie), so the shares add up to the bundle price exactly.
 * - A promotion never raises a price: the result is capped at the regular price.
 * Amounts in the offer (amountOff, fixedPrice, bundlePrice) must be in the regular price's currency.
 * Results are rounded half-up to 2 dp at the end.
 */

export type OfferTerms = {
  offerKind: OfferKind;
  percentOff?: string | null;
  amountOff?: MoneyValue | null;
  fixedPrice?: MoneyValue | null;
  buyQuantity?: number | null;
  getQuantity?: number | null;
  getDiscountPercent?: string | null;
  bundlePrice?: MoneyValue | null;
};

export type PromotionalPriceProblem =
  'INVALID_OFFER' | 'CURRENCY_MISMATCH' | 'BUNDLE_NEEDS_ALL_SKUS';

export type PromotionalPriceResult =
  { ok: true; price: string } | { ok: false; problem: PromotionalPriceProblem; message: string };

/** The offer's money amount (for kinds that carry one), or undefined. */
export function offerMoney(terms: OfferTerms): MoneyValue | null | undefined {
  switch (terms.offerKind) {
    case OfferKind.AMOUNT_OFF:
      return terms.amountOff;
    case OfferKind.FIXED_PRICE:
      return terms.fixedPrice;
    case OfferKind.BUNDLE_PRICE:
      return terms.bundlePrice;
    default:
      return undefined;
  }
}

/** Checks that the offer carries what its kind needs; returns a message when it does not. */
export function offerProblem(terms: OfferTerms): string | undefined {
  switch (terms.offerKind) {
    case OfferKind.PERCENT_OFF: {
      const p = toBig(terms.percentOff);
      return p && p.gt(0) && p.lte(100) ? undefined : 'PERCENT_OFF needs 0 < percentOff <= 100';
    }
    case OfferKind.AMOUNT_OFF:
    case OfferKind.FIXED_PRICE:
    case OfferKind.BUNDLE_PRICE: {
      const m = offerMoney(terms);
      const amount = toBig(m?.amount);
      return m && amount && amount.gte(0)
        ? undefined
        : `${terms.offerKind} needs a non-negative amount`;
    }
    case OfferKind.BUY_X_GET_Y: {
      const buy = terms.buyQuantity ?? 0;
      const get = terms.getQuantity ?? 0;
      const discount =
        terms.getDiscountPercent == null ? new Big(100) : toBig(terms.getDiscountPercent);
      if (!Number.isInteger(buy) || !Number.isInteger(get) || buy < 1 || get < 1) {
        return 'BUY_X_GET_Y needs buyQuantity >= 1 and getQuantity >= 1';
      }
      return discount && discount.gt(0) && discount.lte(100)
        ? undefined
        : 'BUY_X_GET_Y needs 0 < getDiscountPercent <= 100';
    }
    default:
      return `unknown offer kind ${String(terms.offerKind)}`;
  }
}

/**
 * Promotional price of one unit for every kind but BUNDLE_PRICE (which needs the other SKUs: use
 * `bundleUnitPrices`). `regular` is the regular unit price (decimal string) in `currency`.
 */
export function promotionalUnitPrice(
  regular: string,
  currency: string,
  terms: OfferTerms,
): PromotionalPriceResult {
  const problem = offerProblem(terms);
  if (problem) return { ok: false, problem: 'INVALID_OFFER', message: problem };
  const money = offerMoney(terms);
  if (money && money.currency !== currency) {
    return {
      ok: false,
      problem: 'CURRENCY_MISMATCH',
      message: `offer is in ${money.currency}, the price in ${currency}`,
    };
  }
  const price = new Big(regular);
  let promo: Big;
  switch (terms.offerKind) {
    case OfferKind.PERCENT_OFF:
      promo = price.times(new Big(1).minus(new Big(terms.percentOff!).div(100)));
      break;
    case OfferKind.AMOUNT_OFF: {
      const reduced = price.minus(new Big(money!.amount));
      promo = reduced.lt(0) ? new Big(0) : reduced;
      break;
    }
    case OfferKind.FIXED_PRICE:
      promo = new Big(money!.amount);
      break;
    case OfferKind.BUY_X_GET_Y: {
      const buy = new Big(terms.buyQuantity!);
      const get = new Big(terms.getQuantity!);
      const discount =
        terms.getDiscountPercent == null ? new Big(100) : new Big(terms.getDiscountPercent);
      const getUnitPrice = price.times(new Big(1).minus(discount.div(100)));
      promo = buy.times(price).plus(get.times(getUnitPrice)).div(buy.plus(get));
      break;
    }
    default:
      return {
        ok: false,
        problem: 'BUNDLE_NEEDS_ALL_SKUS',
        message: 'a bundle price is spread over all qualifying SKUs',
      };
  }
  return { ok: true, price: roundMoney(promo.gt(price) ? price : promo) };
}

/**
 * Spreads a bundle price over the SKUs pro rata to their regular prices (see the rules above).
 * `regulars` are the SKUs' regular unit prices (decimal strings, one currency). Returns 2-dp strings
 * per SKU that add up to the bundle price (or, when the bundle costs more than the SKUs together,
 * the regular prices: a promotion never raises a price).
 */
export function bundleUnitPrices(
  regulars: readonly { sku: string; price: string }[],
  bundlePrice: string,
): Map<string, string> {
  const out = new Map<string, string>();
  if (regulars.length === 0) return out;
  const prices = regulars.map((r) => new Big(r.price));
  const total = prices.reduce((sum, p) => sum.plus(p), new Big(0));
  const bundle = new Big(bundlePrice);
  if (total.lte(bundle)) {
    regulars.forEach((r, i) => out.set(r.sku, roundMoney(prices[i]!)));
    return out;
  }
  // total > bundle >= 0, so total > 0.
  const shares = prices.map((p) => new Big(roundMoney(bundle.times(p).div(total))));
  const residual = bundle.minus(shares.reduce((sum, s) => sum.plus(s), new Big(0)));
  let top = 0;
  prices.forEach((p, i) => {
    if (p.gt(prices[top]!)) top = i;
  });
  shares[top] = shares[top]!.plus(residual);
  regulars.forEach((r, i) => out.set(r.sku, roundMoney(shares[i]!)));
  return out;
}
