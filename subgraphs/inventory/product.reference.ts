import type { Product } from './product.type.ts';

/** Any SKU resolves: availability of a SKU the ERP does not know is OUT_OF_STOCK. */
export function resolveProductReference(reference: { sku: string }): Product {
  return { sku: reference.sku };
}
