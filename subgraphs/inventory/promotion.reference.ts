import type { Promotion } from './promotion.type.ts';

/** The representation carries `id` and, when `stockReadiness` is asked for, the required terms. */
export function resolvePromotionReference(reference: Promotion): Promotion {
  return reference;
}
