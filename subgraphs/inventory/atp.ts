import Big from 'big.js';
import { StockStatus } from './stock-status.enum.ts';

/** Stock components of one SKU at one location, as decimal strings in the base unit. */
export type StockComponents = {
  onHand: string;
  reserved: string;
  unavailable: string;
  safetyStock: string;
  inTransit: string;
};

export type AtpResult = { availableToPromise: string; status: StockStatus };

/** Default LOW_STOCK threshold in base units (ATP at or below it is low). */
export const DEFAULT_LOW_STOCK_THRESHOLD = '5';

/** Quantities are reported with at most 3 decimals, without trailing zeros, never "-0". */
export function formatQuantity(value: Big): string {
  const rounded = value.round(3, Big.roundHalfUp);
  return rounded.eq(0) ? '0' : rounded.toFixed();
}

/**
 * availableToPromise = max(0, onHand - reserved - unavailable - safetyStock).
 * status: OUT_OF_STOCK when ATP is 0 (BACKORDERABLE instead when stock is in transit),
 * LOW_STOCK when ATP <= threshold, IN_STOCK otherwise.
 */
export function computeAtp(
  components: StockComponents,
  lowStockThreshold: string | number = DEFAULT_LOW_STOCK_THRESHOLD,
): AtpResult {
  return (
    atpOfWholeUnits(components, lowStockThreshold) ?? atpOfDecimals(components, lowStockThreshold)
  );
}

/** A whole number of units the size a double holds exactly (and its sum of four stays exact). */
const WHOLE = /^-?\d{1,15}$/;

/**
 * The same answer as `atpOfDecimals` when every quantity and the threshold are whole numbers
 * (what stores report almost always), in plain integer arithmetic, exact within 15 digits;
 * undefined otherwise. A storefront page asks for 60 positions: decimal parsing was a tenth of
 * the inventory subgraph's CPU for it.
 */
function atpOfWholeUnits(
  c: StockComponents,
  lowStockThreshold: string | number,
): AtpResult | undefined {
  const threshold = String(lowStockThreshold);
  if (
    !WHOLE.test(c.onHand) ||
    !WHOLE.test(c.reserved) ||
    !WHOLE.test(c.unavailable) ||
    !WHOLE.test(c.safetyStock) ||
    !WHOLE.test(c.inTransit) ||
    !WHOLE.test(threshold)
  ) {
    return undefined;
  }
  const raw = Number(c.onHand) - Number(c.reserved) - Number(c.unavailable) - Number(c.safetyStock);
  const atp = raw > 0 ? raw : 0;
  let status: StockStatus;
  if (atp === 0) {
    status = Number(c.inTransit) > 0 ? StockStatus.BACKORDERABLE : StockStatus.OUT_OF_STOCK;
  } else if (atp <= Number(threshold)) {
    status = StockStatus.LOW_STOCK;
  } else {
    status = StockStatus.IN_STOCK;
  }
  return { availableToPromise: String(atp), status };
}

/** The reference: decimal arithmetic throughout (big.js), for any quantities. */
export function atpOfDecimals(
  components: StockComponents,
  lowStockThreshold: string | number,
): AtpResult {
  const raw = new Big(components.onHand)
    .minus(components.reserved)
    .minus(components.unavailable)
    .minus(components.safetyStock)
    .round(3, Big.roundHalfUp);
  const atp = raw.gt(0) ? raw : new Big(0);
  let status: StockStatus;
  if (atp.eq(0)) {
    status = new Big(components.inTransit).gt(0)
      ? StockStatus.BACKORDERABLE
      : StockStatus.OUT_OF_STOCK;
  } else if (atp.lte(lowStockThreshold)) {
    status = StockStatus.LOW_STOCK;
  } else {
    status = StockStatus.IN_STOCK;
  }
  return { availableToPromise: formatQuantity(atp), status };
}
