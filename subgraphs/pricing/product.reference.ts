import type { PricingContext } from './context.ts';
import { Product } from './product.type.ts';

/**
 * `_entities` for Product. Resolving the reference does no I/O: the fields the query selects
 * (name, price, cost...) are read through the request's DataLoaders, so N representations cost one
 * batched ERP call per field family and chunk, and an unknown SKU resolves to null fields, not an error.
 */
export function resolveProductReference(
  reference: { sku: string },
  _context: PricingContext,
): Product {
  return Object.assign(new Product(), { sku: reference.sku });
}
