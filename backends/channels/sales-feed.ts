import { createRng, hashInts } from '../erp/prng.ts';
import { skuId, skuIndex, type ErpSeed } from '../erp/seed.ts';
import type { ChannelName } from './channel-state.ts';
import type { LivePromotion } from './live-promotions.ts';
import { centsToDecimal, discountCents, discountCurrency } from './sales-feed-discount.ts';

/** One `RedemptionLineInput` of `recordRedemptions` (Decimals as strings). */
export type RedemptionLine = {
  transactionId: string;
  lineNumber: number;
  promotionId: string;
  sku: string;
  locationId: string;
  quantity: string;
  discount: { amount: string; currency: string };
  soldAt: string;
};

export type SalesFeedOptions = {
  channel: ChannelName;
  seed: number;
  /** Transactions per live promotion. */
  transactions: number;
  /** How many of them (the last ones) return an earlier sale of the same promotion; < transactions. */
  returns: number;
  /** ISO instant of every line. */
  soldAt: string;
  locationId?: string;
};

export const DEFAULT_LOCATION = 'S001';
/** Regular price of a SKU the ERP seed does not know (cents). */
export const UNKNOWN_SKU_PRICE_CENTS = 1000;

/**
 * A channel's sales of its live promotions, as its till / shop would report them; pure and
 * deterministic for (seed, options, promotions, ERP seed). Promotion i (in the given order) gets
 * transactions n = i·T+1 .. i·T+T, id `${CHANNEL}-${seed}-${n}`, of 1..3 lines (distinct SKUs,
 * quantity 1..3) drawn from `createRng(hashInts(seed, n))`. SKUs: the explicit `scope.skus`, or,
 * without them, the ERP products of `scope.categoryIds` not marked for deletion; `excludedSkus`
 * never. Sold at `options.locationId`, else the first eligible location not held for stock
 * (`heldLocationIds`); a promotion held where it would sell is skipped. The last `returns` transactions each return one earlier sale of the promotion in full:
 * id `${CHANNEL}-${seed}-${n}-R`, same lines with negative quantity and discount. A promotion
 * without a resolvable SKU is skipped (listed in `skipped`).
 */
export function generateSalesFeed(
  promotions: readonly LivePromotion[],
  erp: ErpSeed,
  options: SalesFeedOptions,
): { lines: RedemptionLine[]; skipped: string[] } {
  const prefix = `${options.channel.toUpperCase()}-${options.seed}`;
  const sales = options.transactions - options.returns;
  const lines: RedemptionLine[] = [];
  const skipped: string[] = [];
  promotions.forEach((promotion, i) => {
    const skus = candidateSkus(promotion, erp);
    if (skus.length === 0) {
      skipped.push(promotion.promotionId);
      return;
    }
    // A till does not apply a promotion held for stock at its store.
    const held = new Set(promotion.heldLocationIds);
    const locationId =
      options.locationId ??
      promotion.eligibility.locationIds.find((l) => !held.has(l)) ??
      DEFAULT_LOCATION;
    if (held.has(locationId)) {
      skipped.push(promotion.promotionId);
      return;
    }
    const currency = discountCurrency(promotion.offer);
    const sold: RedemptionLine[][] = [];
    for (let t = 1; t <= options.transactions; t++) {
      const n = i * options.transactions + t;
      if (t > sales) {
        const original = sold[(t - sales - 1) % sales]!;
        lines.push(...original.map((line) => returned(line, `${prefix}-${n}-R`)));
        continue;
      }
      const rng = createRng(hashInts(options.seed, n));
      const pool = [...skus];
      const count = Math.min(rng.int(1, 3), pool.length);
      const sale: RedemptionLine[] = [];
      for (let lineNumber = 1; lineNumber <= count; lineNumber++) {
        const sku = pool.splice(rng.int(0, pool.length - 1), 1)[0]!;
        const quantity = rng.int(1, 3);
        const index = skuIndex(erp, sku);
        const price = index === undefined ? UNKNOWN_SKU_PRICE_CENTS : erp.meta.priceCents[index]!;
        sale.push({
          transactionId: `${prefix}-${n}`,
          lineNumber,
          promotionId: promotion.promotionId,
          sku,
          locationId,
          quantity: String(quantity),
          discount: {
            amount: centsToDecimal(discountCents(promotion.offer, price, quantity)),
            currency,
          },
          soldAt: options.soldAt,
        });
      }
      sold.push(sale);
      lines.push(...sale);
    }
  });
  return { lines, skipped };
}

/** The SKUs a promotion can be redeemed on, in a stable order. */
export function candidateSkus(promotion: LivePromotion, erp: ErpSeed): string[] {
  const excluded = new Set(promotion.scope.excludedSkus);
  const explicit = promotion.scope.skus;
  const skus =
    explicit.length > 0
      ? explicit
      : promotion.scope.categoryIds.flatMap((group) =>
          (erp.productsByGroup.get(group) ?? [])
            .filter((n) => erp.products[n - 1]?.IsMarkedForDeletion !== true)
            .map(skuId),
        );
  return [...new Set(skus)].filter((sku) => !excluded.has(sku));
}

function returned(line: RedemptionLine, transactionId: string): RedemptionLine {
  return {
    ...line,
    transactionId,
    quantity: `-${line.quantity}`,
    discount: { ...line.discount, amount: negate(line.discount.amount) },
  };
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}
