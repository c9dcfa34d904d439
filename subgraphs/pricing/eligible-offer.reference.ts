import type { PricingContext } from './context.ts';
import type { EligibleOffer } from './eligible-offer.type.ts';

/** `_entities` for EligibleOffer: the representation (key + the required `terms`) is the entity. */
export function resolveEligibleOfferReference(
  reference: EligibleOffer,
  _context: PricingContext,
): EligibleOffer {
  return reference;
}
