import Big from 'big.js';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { PromotionState } from '../model/promotion-enums.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import { matchScope, type ProductFacts } from '../model/scope-terms.ts';

/** One sales line a channel reports: a promotion applied to a SKU in a transaction. */
export type RedemptionLineData = {
  transactionId: string;
  lineNumber: number;
  promotionId: string;
  sku: string;
  locationId: string;
  /** Decimal units, at most 3 places; negative for a return. */
  quantity: string;
  /** Decimal discount given on the line, to the cent; the sign of the quantity (or 0). */
  discount: string;
  currency: string;
  /** ISO instant of the sale. */
  soldAt: string;
};

/** Why a line is not recorded (the rest of its feed is). */
export enum RedemptionRejection {
  INVALID_LINE = 'INVALID_LINE',
  UNKNOWN_PROMOTION = 'UNKNOWN_PROMOTION',
  NOT_PUBLISHED_IN_CHANNEL = 'NOT_PUBLISHED_IN_CHANNEL',
  OUTSIDE_WINDOW = 'OUTSIDE_WINDOW',
  LOCATION_NOT_ELIGIBLE = 'LOCATION_NOT_ELIGIBLE',
  SKU_NOT_IN_SCOPE = 'SKU_NOT_IN_SCOPE',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  /** The same channel, transaction and line number was recorded with other values. */
  CONFLICTING_REPLAY = 'CONFLICTING_REPLAY',
}

export type LineProblem = { code: RedemptionRejection; message: string };

/** How far in the future a sale may be stamped (clock skew between tills and us). */
export const FUTURE_SKEW_MS = 5 * 60_000;
const MAX_ID = 64;

const decimals = (value: string): number => (value.split('.')[1] ?? '').length;
const sign = (value: Big): number => (value.gt(0) ? 1 : value.lt(0) ? -1 : 0);

/** The line's own shape: ids, numbers and time, before any promotion is looked at. */
export function shapeProblem(line: RedemptionLineData, now: Date): LineProblem | null {
  const invalid = (message: string): LineProblem => ({
    code: RedemptionRejection.INVALID_LINE,
    message,
  });
  for (const [field, value] of [
    ['transactionId', line.transactionId],
    ['sku', line.sku],
    ['locationId', line.locationId],
  ] as const) {
    // Control characters never reach here (shared/control-characters.ts refuses them).
    if (!value.trim() || value.length > MAX_ID) {
      return invalid(`${field} must be 1 to ${MAX_ID} characters, not blank`);
    }
  }
  if (!Number.isInteger(line.lineNumber) || line.lineNumber < 1) {
    return invalid('lineNumber must be at least 1');
  }
  const quantity = new Big(line.quantity);
  const discount = new Big(line.discount);
  if (quantity.eq(0)) return invalid('quantity must not be 0');
  if (decimals(line.quantity) > 3) return invalid('quantity must have at most 3 decimals');
  if (decimals(line.discount) > 2) return invalid('discount must have at most 2 decimals');
  if (!discount.eq(0) && sign(discount) !== sign(quantity)) {
    return invalid('discount must have the sign of quantity (a return is negative in both)');
  }
  if (quantity.abs().gte(1e12) || discount.abs().gte(1e13)) return invalid('amount out of range');
  const soldAt = Date.parse(line.soldAt);
  if (soldAt > now.getTime() + FUTURE_SKEW_MS) return invalid('soldAt is in the future');
  return null;
}

/** What a line is checked against besides its promotion. */
export type LineContext = {
  channel: SalesChannel;
  /** The SKU's product facts (category, brand, hierarchy), when its promotion's scope needs them. */
  factsOf: (sku: string) => ProductFacts | null;
  /** The locations of the promotion's regions (empty: none named). */
  regionLocations: (promotion: PromotionRecord) => ReadonlySet<string>;
};

/**
 * Whether the promotion could have been given on this line: its channel confirmed it (a sale
 * needs the promotion at the till), the sale is in its window, at an eligible location, on a SKU
 * of its scope, in its currency. A line sold inside the window and reported after it ended is a
 * late line, not a wrong one.
 */
export function promotionProblem(
  line: RedemptionLineData,
  promotion: PromotionRecord,
  ctx: LineContext,
): LineProblem | null {
  const publication = promotion.channels.find((c) => c.channel === ctx.channel);
  const everLive = ![
    PromotionState.DRAFT,
    PromotionState.PENDING_APPROVAL,
    PromotionState.APPROVED,
    PromotionState.REJECTED,
  ].includes(promotion.state);
  if (!everLive || publication?.publishedVersion == null) {
    return {
      code: RedemptionRejection.NOT_PUBLISHED_IN_CHANNEL,
      message: `promotion ${promotion.id} was never confirmed live in ${ctx.channel}`,
    };
  }
  const soldAt = Date.parse(line.soldAt);
  if (
    soldAt < Date.parse(promotion.window.startsAt) ||
    soldAt >= Date.parse(promotion.window.endsAt)
  ) {
    return {
      code: RedemptionRejection.OUTSIDE_WINDOW,
      message: `sold at ${line.soldAt}, outside the window ${promotion.window.startsAt} to ${promotion.window.endsAt}`,
    };
  }
  const { locationIds, regionIds } = promotion.eligibility;
  if (locationIds.length || regionIds.length) {
    const inRegion = ctx.regionLocations(promotion);
    if (!locationIds.includes(line.locationId) && !inRegion.has(line.locationId)) {
      return {
        code: RedemptionRejection.LOCATION_NOT_ELIGIBLE,
        message: `location ${line.locationId} is not eligible for promotion ${promotion.id}`,
      };
    }
  }
  if (matchScope(promotion.scope, line.sku, ctx.factsOf(line.sku)) !== 'IN') {
    return {
      code: RedemptionRejection.SKU_NOT_IN_SCOPE,
      message: `SKU ${line.sku} is not in the scope of promotion ${promotion.id}`,
    };
  }
  if (line.currency !== promotion.currency) {
    return {
      code: RedemptionRejection.CURRENCY_MISMATCH,
      message: `discount in ${line.currency}; promotion ${promotion.id} is in ${promotion.currency}`,
    };
  }
  return null;
}

/** Whether two reports of the same key say the same thing (a duplicate, not a conflict). */
export function sameLine(a: RedemptionLineData, b: RedemptionLineData): boolean {
  return (
    a.promotionId === b.promotionId &&
    a.sku === b.sku &&
    a.locationId === b.locationId &&
    new Big(a.quantity).eq(b.quantity) &&
    new Big(a.discount).eq(b.discount) &&
    a.currency === b.currency &&
    Date.parse(a.soldAt) === Date.parse(b.soldAt)
  );
}

export const lineKey = (line: Pick<RedemptionLineData, 'transactionId' | 'lineNumber'>): string =>
  `${line.transactionId}\u0000${line.lineNumber}`;
