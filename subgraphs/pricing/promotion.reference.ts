import type { PricingContext } from './context.ts';
import type { Promotion } from './promotion.type.ts';

/** `_entities` for Promotion: the representation (id + the required `terms`) is the entity. */
export function resolvePromotionReference(
  reference: Promotion,
  _context: PricingContext,
): Promotion {
  return reference;
}
