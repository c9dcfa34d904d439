import { Big } from 'big.js';

/** Default minimum margin (percent of the selling price) when the subgraph is not configured. */
export const DEFAULT_MINIMUM_MARGIN_PERCENT = '10';

/** Validates a configured minimum margin: a decimal with 0 <= m < 100. Fails loudly at start-up. */
export function parseMinimumMarginPercent(value: string | number | undefined): Big {
  const raw = value ?? DEFAULT_MINIMUM_MARGIN_PERCENT;
  let margin: Big;
  try {
    margin = new Big(raw);
  } catch {
    throw new Error(
      `minimumMarginPercent must be a decimal between 0 and 100, got "${String(raw)}"`,
    );
  }
  if (margin.lt(0) || margin.gte(100)) {
    throw new Error(`minimumMarginPercent must be at least 0 and below 100, got "${String(raw)}"`);
  }
  return margin;
}

/** Lowest price keeping the margin: cost / (1 - margin/100). Unrounded. */
export function minimumPriceFor(cost: Big, marginPercent: Big): Big {
  return cost.div(new Big(1).minus(marginPercent.div(100)));
}

/** Margin at a selling price, in percent of the price: (price - cost) / price * 100; undefined at price 0. */
export function marginPercentAt(price: Big, cost: Big): Big | undefined {
  if (price.eq(0)) return undefined;
  return price.minus(cost).div(price).times(100);
}
